// Per-domain pacing (server/src/sending/domain-pacer.ts): a group's rate, evenly spaced; a throttled domain rests
// alone; unlimited domains never wait.
import { createDomainPacer } from '../../server/src/sending/domain-pacer';

describe('domain pacer', () => {
  let clock = 1_000_000;
  const now = () => clock;

  it('spaces the messages of a group evenly, the group sharing one pace', () => {
    const pacer = createDomainPacer([{ domains: ['gmail.com', 'googlemail.com'], perMinute: 600 }], now);
    expect(pacer.waitFor('a@gmail.com')).toBe(0);
    pacer.take('a@gmail.com');
    expect(pacer.waitFor('b@GoogleMail.com')).toBe(100);
    clock += 100;
    expect(pacer.waitFor('b@googlemail.com')).toBe(0);
    pacer.take('b@googlemail.com');
    expect(pacer.waitFor('c@gmail.com')).toBe(100);
    expect(pacer.waitFor('d@example.com')).toBe(0);
  });

  it('rests a throttled domain, alone or with its group, while the others go on', () => {
    const pacer = createDomainPacer([{ domains: ['outlook.com', 'hotmail.com'], perMinute: 60_000 }], now);
    pacer.rest('x@hotmail.com', 5000);
    pacer.rest('y@yahoo.com', 2000);
    expect(pacer.waitFor('z@outlook.com')).toBe(5000);
    expect(pacer.waitFor('z@yahoo.com')).toBe(2000);
    expect(pacer.waitFor('z@example.com')).toBe(0);
    clock += 2000;
    expect(pacer.waitFor('z@yahoo.com')).toBe(0);
    pacer.take('z@yahoo.com');
    expect(pacer.waitFor('w@yahoo.com')).toBe(0); // no limit of its own: only the rest
  });

  it('forgets a domain outside the groups once its rest is over', () => {
    const pacer = createDomainPacer([{ domains: ['gmail.com'], perMinute: 60 }], now);
    for (let i = 0; i < 1000; i += 1) pacer.rest(`a@d${i}.example`, 1000);
    pacer.rest('a@gmail.com', 1000);
    expect(pacer.restingOthers()).toBe(1000);
    expect(pacer.waitFor('b@d7.example')).toBe(1000);
    clock += 1000;
    expect(pacer.waitFor('b@d7.example')).toBe(0);
    pacer.rest('c@d7.example', 500);
    expect(pacer.waitFor('d@d7.example')).toBe(500);
    expect(pacer.restingOthers()).toBe(1);
  });
});
