import { renderPreferencePage } from '../../server/src/tracking/preference-page';
import { createTokenSigner } from '../../server/src/platform/tokens';
import type { PreferencesView } from '../../server/src/tracking/preferences';

const view = (overrides: Partial<PreferencesView> = {}): PreferencesView => ({
  email: 'ana@example.com',
  locale: 'en',
  unsubscribed: false,
  preview: false,
  lists: [
    { id: 1, name: 'Weekly <news>', description: 'Every "Monday" & more', subscribed: true },
    { id: 2, name: 'Offers', description: null, subscribed: false },
  ],
  ...overrides,
});

describe('the preference centre page', () => {
  it('escapes every value and ticks the lists the contact is in', () => {
    const html = renderPreferencePage({ view: view({ email: '"><script>x</script>@example.com' }), action: '/p/a"b' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('action="/p/a&quot;b"');
    expect(html).toContain('value="1" checked>Weekly &lt;news&gt;<small>Every &quot;Monday&quot; &amp; more</small>');
    expect(html).toContain('value="2">Offers');
    expect(html).toContain('name="action" value="unsubscribe"');
  });

  it('speaks the contact’s language, English otherwise', () => {
    expect(renderPreferencePage({ view: view({ locale: 'fr-CA' }), action: '/p/t' })).toContain(
      'Vos préférences e-mail',
    );
    expect(renderPreferencePage({ view: view({ locale: 'de' }), action: '/p/t' })).toContain('Von allem abmelden');
    expect(renderPreferencePage({ view: view({ locale: 'es' }), action: '/p/t' })).toContain('lang="es"');
    expect(renderPreferencePage({ view: view({ locale: 'ja' }), action: '/p/t' })).toContain('Save my choices');
  });

  it('once unsubscribed, offers only to subscribe again; a preview says nothing changes', () => {
    const html = renderPreferencePage({ view: view({ unsubscribed: true, preview: true }), action: '/p/t' });
    expect(html).toContain('You are unsubscribed');
    expect(html).toContain('name="action" value="resubscribe"');
    expect(html).not.toContain('type="checkbox"');
    expect(html).toContain('This is a preview: nothing was changed.');
  });
});

describe('preferences tokens', () => {
  it('carry the delivery and the delivery log, and are no other kind', () => {
    const signer = createTokenSigner(['k'.repeat(32)]);
    const token = signer.sign({ kind: 'preferences', deliveryId: 12, deliveryLogId: 345 });
    expect(signer.verify(token, 'preferences')).toEqual({ kind: 'preferences', deliveryId: 12, deliveryLogId: 345 });
    expect(signer.verify(token, 'unsubscribe')).toBeNull();
    // Kind code 5 is wire format: the second byte of the token.
    expect(Buffer.from(token, 'base64url')[1]).toBe(5);
  });
});
