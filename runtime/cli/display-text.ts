// What the simulated station's display shows, as one log line: the CSMS's messages in force (block O) and, per
// driver, their tariff and cost (block I), as a driver standing at the station would read them.
import type { DisplayScreen } from '../station/O-display/messages.js';

const money = (amount: number, currency: string | undefined) => `${amount.toFixed(2)}${currency ? ` ${currency}` : ''}`;

export function displayText(screen: DisplayScreen): string {
  const messages = screen.messages.map(
    (m) => `«${m.message.content}»${m.priority === 'NormalCycle' ? '' : ` (${m.priority})`}`,
  );
  const drivers = screen.drivers.map((d) => {
    const parts: string[] = [];
    const tariff = d.personalMessage?.content ?? d.tariffFallback;
    if (tariff) parts.push(`tariff ${tariff}`);
    if (d.finalCost !== undefined) parts.push(`total cost ${money(d.finalCost, d.currency)}`);
    else if (d.costFallback) parts.push(d.costFallback);
    else if (d.runningCost !== undefined) parts.push(`cost so far ${money(d.runningCost, d.currency)}`);
    return parts.length ? `EVSE ${d.evseId || '?'}: ${parts.join(', ')}` : '';
  });
  const shown = [...messages, ...drivers.filter(Boolean)];
  return `display: ${shown.length ? shown.join(' · ') : '(nothing to show)'}`;
}
