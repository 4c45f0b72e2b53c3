// IP address helpers for tracking hits: normalisation, anonymisation and CIDR membership, on ipaddr.js.
import ipaddr from 'ipaddr.js';

// ipaddr.js is CommonJS: an ES module sees its classes only on the default export (dist/server/index.mjs).
const { IPv4, IPv6 } = ipaddr;
type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/**
 * Dotted-quad IPv4 ("1.2.3.4") only: ipaddr.js alone also reads "1.2.3", "0x7f.1" and leading zeros as octal,
 * forms no proxy or socket reports, so they are refused.
 */
const parseIpv4 = (text: string): IPv4 | null => (IPv4.isValidFourPartDecimal(text) ? IPv4.parse(text) : null);

/**
 * Any RFC 4291 text form. An IPv4 tail ("::ffff:1.2.3.4") is checked as dotted-quad, then written as two hextets,
 * so "::1.2.3.4" stays the IPv6 address it is (ipaddr.js would read it as "::ffff:1.2.3.4").
 */
const parseIpv6 = (text: string): IPv6 | null => {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return null;
  let hextets = text;
  const ipv4Tail = /:([0-9.]+)$/.exec(text);
  if (ipv4Tail && ipv4Tail[1].includes('.')) {
    const tail = parseIpv4(ipv4Tail[1]);
    if (!tail) return null;
    const [a, b, c, d] = tail.octets;
    hextets = `${text.slice(0, ipv4Tail.index + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  } else if (text.includes('.')) {
    return null;
  }
  return IPv6.isValid(hextets) ? IPv6.parse(hextets) : null;
};

/** IPv4-mapped IPv6 (what a dual-stack socket reports for an IPv4 client) comes back as IPv4. */
const parseIp = (input: unknown): IPv4 | IPv6 | null => {
  if (typeof input !== 'string') return null;
  let text = input.trim();
  if (text.length === 0 || text.length > 64) return null;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  // A zone ("%eth0") names a local interface; it is not part of the address.
  const zone = text.indexOf('%');
  if (zone !== -1 && text.includes(':')) text = text.slice(0, zone);

  if (!text.includes(':')) return parseIpv4(text);
  const address = parseIpv6(text);
  if (address && address.isIPv4MappedAddress()) return address.toIPv4Address();
  return address;
};

/** RFC 5952 text for IPv6: lowercase, no leading zeros, the longest run of zero groups as "::". */
const formatIp = (ip: IPv4 | IPv6): string => (ip instanceof IPv4 ? ip.toString() : ip.toRFC5952String());

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
  if (parsed instanceof IPv4) return formatIp(new IPv4([...parsed.octets.slice(0, 3), 0]));
  return formatIp(new IPv6([...parsed.parts.slice(0, 3), 0, 0, 0, 0, 0]));
};

/**
 * Whether the IPv4 address (plain or IPv4-mapped IPv6) lies in the IPv4 block "a.b.c.d/n" (a bare address is /32).
 * Anything unparsable, and any IPv6 address, is outside.
 */
export const isInCidr = (ip: string, cidr: string): boolean => {
  const address = parseIp(ip);
  if (!(address instanceof IPv4) || typeof cidr !== 'string') return false;

  const [base, prefixText, ...rest] = cidr.trim().split('/');
  if (rest.length > 0) return false;
  const network = parseIpv4(base);
  if (!network) return false;
  // ipaddr.js reads "/08" as 8; a prefix is written without leading zeros, so anything else is refused.
  if (prefixText !== undefined && !/^(0|[1-9][0-9]?)$/.test(prefixText)) return false;
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  return prefix <= 32 && address.match(network, prefix);
};
