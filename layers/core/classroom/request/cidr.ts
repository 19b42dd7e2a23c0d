// CIDR blocks of IPv4 and IPv6, parsed and normalised as EC2 stores them in security group rules.
/**
 * `10.1.2.3/8` → `10.0.0.0/8`, `2001:DB8:0:0::1/32` → `2001:db8::/32`, null when `text` is not a
 * CIDR block. Host bits are cleared, as EC2 does with security group rules; octets with leading
 * zeros are refused because some parsers read them as octal.
 */
export function normaliseCidr(text: string): string | null {
  const [address = '', prefixText, ...rest] = text.split('/');
  if (prefixText === undefined || rest.length > 0 || !/^(0|[1-9]\d{0,2})$/.test(prefixText)) {
    return null;
  }
  const prefix = Number(prefixText);
  const v4 = parseIpv4(address);
  if (v4) return prefix <= 32 ? `${maskBits(v4, prefix, 8).join('.')}/${prefix}` : null;
  const v6 = parseIpv6(address);
  if (v6) return prefix <= 128 ? `${formatIpv6(maskBits(v6, prefix, 16))}/${prefix}` : null;
  return null;
}

function parseIpv4(text: string): number[] | null {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((octet) => /^(0|[1-9]\d{0,2})$/.test(octet)))
    return null;
  const values = octets.map(Number);
  return values.every((value) => value <= 255) ? values : null;
}

function parseHextets(text: string, ipv4Tail: boolean): number[] | null {
  if (text === '') return [];
  const pieces = text.split(':');
  const groups: number[] = [];
  for (const [i, piece] of pieces.entries()) {
    if (ipv4Tail && i === pieces.length - 1 && piece.includes('.')) {
      const octets = parseIpv4(piece);
      if (!octets) return null;
      const [a, b, c, d] = octets as [number, number, number, number];
      groups.push((a << 8) | b, (c << 8) | d);
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
      groups.push(Number.parseInt(piece, 16));
    } else {
      return null;
    }
  }
  return groups;
}

function parseIpv6(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const [head = '', tail] = halves;
  if (tail === undefined) {
    const groups = parseHextets(head, true);
    return groups?.length === 8 ? groups : null;
  }
  const before = parseHextets(head, false);
  const after = parseHextets(tail, true);
  if (!before || !after || before.length + after.length > 7) return null;
  return [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
}

function maskBits(parts: number[], prefix: number, width: number): number[] {
  return parts.map((part, i) => {
    const kept = Math.min(width, Math.max(0, prefix - i * width));
    return kept === 0 ? 0 : part & (((1 << kept) - 1) << (width - kept));
  });
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIpv6(groups: number[]): string {
  let best = { start: -1, length: 1 };
  let run = { start: -1, length: 0 };
  groups.forEach((group, i) => {
    run =
      group === 0
        ? { start: run.length ? run.start : i, length: run.length + 1 }
        : { start: -1, length: 0 };
    if (run.length > best.length) best = run;
  });
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}
