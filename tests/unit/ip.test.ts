// IP normalisation, anonymisation and IPv4 CIDR membership, as tables of addresses.
import { anonymizeIp, isInCidr, normalizeIp } from '../../server/src/lib/ip';

describe('normalizeIp', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['  1.2.3.4\n', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:10.0.0.1', '10.0.0.1'],
    ['0:0:0:0:0:ffff:10.0.0.1', '10.0.0.1'],
    ['::ffff:a01:203', '10.1.2.3'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::1', '::1'],
    ['::', '::'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::1.2.3.4', '::102:304'],
  ])('%j is written as %j, whatever text form the proxy or socket used', (input, expected) => {
    expect(normalizeIp(input)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'abc',
    'localhost',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.-1',
    '1.2.3.4:8080',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::',
    'g::1',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:',
    '::ffff:999.1.1.1',
    '1.2.3.4, 5.6.7.8',
    '1.2.3.4%eth0',
  ])('%j is not an IP address and gives an empty string', (input) => {
    expect(normalizeIp(input)).toBe('');
  });

  it.each([null, undefined, 42, {}, ['1.2.3.4']])('a non-string (%p) gives an empty string', (input) => {
    expect(normalizeIp(input as unknown as string)).toBe('');
  });
});

describe('anonymizeIp', () => {
  it.each([
    ['203.0.113.195', '203.0.113.0'],
    ['10.0.0.0', '10.0.0.0'],
    ['::ffff:203.0.113.195', '203.0.113.0'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::'],
    ['2001:DB8::1', '2001:db8::'],
    ['2001:db8:1:2::', '2001:db8:1::'],
    ['2001:0:0:5::1', '2001::'],
    ['::1', '::'],
    ['fe80::1%eth0', 'fe80::'],
  ])('%j is stored as %j: the network stays, the host is gone', (input, expected) => {
    expect(anonymizeIp(input)).toBe(expected);
  });

  it.each(['', 'garbage', '300.1.1.1', '1::2::3'])('%j is not an IP address and gives an empty string', (input) => {
    expect(anonymizeIp(input)).toBe('');
  });
});

describe('isInCidr', () => {
  it.each([
    ['17.1.2.3', '17.0.0.0/8', true],
    ['17.255.255.255', '17.0.0.0/8', true],
    ['16.255.255.255', '17.0.0.0/8', false],
    ['18.0.0.0', '17.0.0.0/8', false],
    ['::ffff:17.58.0.1', '17.0.0.0/8', true],
    ['::ffff:18.58.0.1', '17.0.0.0/8', false],
    ['17.1.2.3', '17.255.0.0/8', true],
    ['192.168.1.77', '192.168.1.64/27', true],
    ['192.168.1.64', '192.168.1.64/27', true],
    ['192.168.1.95', '192.168.1.64/27', true],
    ['192.168.1.96', '192.168.1.64/27', false],
    ['10.1.2.3', '10.1.2.3', true],
    ['10.1.2.4', '10.1.2.3/32', false],
    ['1.2.3.4', '0.0.0.0/0', true],
    ['255.255.255.255', '128.0.0.0/1', true],
    ['127.255.255.255', '128.0.0.0/1', false],
  ])('%j in %j is %p', (ip, cidr, expected) => {
    expect(isInCidr(ip, cidr)).toBe(expected);
  });

  it.each([
    ['17.0.0.1', '17.0.0.0/33'],
    ['17.0.0.1', '17.0.0.0/'],
    ['17.0.0.1', '17.0.0.0/08'],
    ['17.0.0.1', '17.0.0.0/8/8'],
    ['17.0.0.1', '17.0.0.0/-1'],
    ['17.0.0.1', 'garbage/8'],
    ['17.0.0.1', ''],
    ['2001:db8::1', '17.0.0.0/8'],
    ['garbage', '17.0.0.0/8'],
    ['', '0.0.0.0/0'],
  ])('%j in %j is false: an unparsable address or block never matches', (ip, cidr) => {
    expect(isInCidr(ip, cidr)).toBe(false);
  });
});
