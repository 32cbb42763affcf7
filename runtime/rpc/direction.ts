// Who may send which action, from the directions of the spec ("CS->CSMS", "CSMS->CS", "both").
import type { Direction, Role } from '../protocol.js';

export function sends(direction: Direction, role: Role): boolean {
  return direction === 'both' || direction === (role === 'cs' ? 'CS->CSMS' : 'CSMS->CS');
}

export function receives(direction: Direction, role: Role): boolean {
  return direction === 'both' || direction === (role === 'cs' ? 'CSMS->CS' : 'CS->CSMS');
}

export function roleName(role: Role): string {
  return role === 'cs' ? 'Charging Station' : 'CSMS';
}
