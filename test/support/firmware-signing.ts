// What a manufacturer does to a firmware file: a SHA-256 signature by the firmware signing key, base64 (as
// UpdateFirmwareRequest.firmware.signature carries it).
import { sign } from 'node:crypto';

export function signFile(data: Buffer, privateKeyPem: string): string {
  return sign('sha256', data, privateKeyPem).toString('base64');
}
