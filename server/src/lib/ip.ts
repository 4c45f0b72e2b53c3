// IP address helpers for tracking hits: normalisation, anonymisation and CIDR membership.

/** Parses dotted-quad IPv4 ("1.2.3.4"); leading zeros are refused because some parsers read them as octal. */
const parseIpv4 = (text: string): number[] | null => {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    octets.push(value);
  }
  return octets;
};

/** Parses any RFC 4291 text form into 8 hextets, including "::" and an embedded IPv4 tail. */
const parseIpv6 = (text: string): number[] | null => {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;

  const parseGroups = (side: string, mayEndWithIpv4: boolean): number[] | null => {
    if (side === '') return [];
    const groups: number[] = [];
    const fields = side.split(':');
    for (let i = 0; i < fields.length; i += 1) {
      const field = fields[i];
      if (mayEndWithIpv4 && i === fields.length - 1 && field.includes('.')) {
        const octets = parseIpv4(field);
        if (!octets) return null;
        groups.push((octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]);
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(field)) return null;
        groups.push(parseInt(field, 16));
      }
    }
    return groups;
  };

  if (halves.length === 1) {
    const groups = parseGroups(halves[0], true);
    return groups && groups.length === 8 ? groups : null;
  }
  const head = parseGroups(halves[0], false);
  const tail = parseGroups(halves[1], true);
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
};

const isIpv4Mapped = (groups: number[]): boolean =>
  groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;

/** RFC 5952 text: lowercase, no leading zeros, the longest run (of two or more) of zero groups as "::". */
const formatIpv6 = (groups: number[]): string => {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
};

type ParsedIp = { family: 4; octets: number[] } | { family: 6; groups: number[] };

/** IPv4-mapped IPv6 (what a dual-stack socket reports for an IPv4 client) comes back as IPv4. */
const parseIp = (input: unknown): ParsedIp | null => {
  if (typeof input !== 'string') return null;
  let text = input.trim();
  if (text.length === 0 || text.length > 64) return null;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  // A zone ("%eth0") names a local interface; it is not part of the address.
  const zone = text.indexOf('%');
  if (zone !== -1 && text.includes(':')) text = text.slice(0, zone);

  if (!text.includes(':')) {
    const octets = parseIpv4(text);
    return octets ? { family: 4, octets } : null;
  }
  const groups = parseIpv6(text);
  if (!groups) return null;
  if (isIpv4Mapped(groups)) {
    return { family: 4, octets: [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff] };
  }
  return { family: 6, groups };
};

const formatIp = (ip: ParsedIp): string => (ip.family === 4 ? ip.octets.join('.') : formatIpv6(ip.groups));

/** The address in one canonical text form (IPv4-mapped IPv6 as plain IPv4), or '' when it is not an IP address. */
export const normalizeIp = (ip: string): string => {
  const parsed = parseIp(ip);
  return parsed ? formatIp(parsed) : '';
};

/**
 * The address with its host part zeroed: IPv4 keeps its /24, IPv6 its /48 (a site, usually many households),
 * so it still tells the network or region but no longer one person. '' when it is not an IP address.
 */
export const anonymizeIp = (ip: string): string => {
  const parsed = parseIp(ip);
  if (!parsed) return '';
  if (parsed.family === 4) return formatIp({ family: 4, octets: [...parsed.octets.slice(0, 3), 0] });
  return formatIp({ family: 6, groups: [...parsed.groups.slice(0, 3), 0, 0, 0, 0, 0] });
};

/**
 * Whether the IPv4 address (plain or IPv4-mapped IPv6) lies in the IPv4 block "a.b.c.d/n" (a bare address is /32).
 * Anything unparsable, and any IPv6 address, is outside.
 */
export const isInCidr = (ip: string, cidr: string): boolean => {
  const address = parseIp(ip);
  if (!address || address.family !== 4 || typeof cidr !== 'string') return false;

  const [base, prefixText, ...rest] = cidr.trim().split('/');
  if (rest.length > 0) return false;
  const network = parseIpv4(base);
  if (!network) return false;
  let prefix = 32;
  if (prefixText !== undefined) {
    if (!/^(0|[1-9][0-9]?)$/.test(prefixText)) return false;
    prefix = Number(prefixText);
    if (prefix > 32) return false;
  }
  if (prefix === 0) return true;

  const toUint32 = (octets: number[]): number =>
    ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = (0xffffffff << (32 - prefix)) >>> 0;
  return (toUint32(address.octets) & mask) >>> 0 === (toUint32(network) & mask) >>> 0;
};
