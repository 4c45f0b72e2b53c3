// The flags column of the tracking logs tab (admin/src/components/dashboard/EventFlags.tsx): every flagged event says
// why, in the admin's language.
import { screen } from '@testing-library/react';
import { FLAG_REASONS } from '../../shared/constants';
import { EventFlags } from '../../admin/src/components/dashboard/EventFlags';
import en from '../../admin/src/translations/en.json';
import fr from '../../admin/src/translations/fr.json';
import { renderInAdmin } from './render';

describe('the flags of a tracking event', () => {
  it('a scanner click says it is a bot and why', () => {
    renderInAdmin(<EventFlags event={{ isBot: true, isMachineOpen: false, flagReason: 'scannerWindow' }} />);
    expect(screen.getByText('bot')).toBeTruthy();
    expect(screen.getByText('clicked within the scanner window after delivery')).toBeTruthy();
  });

  it("Apple's prefetch says it is a machine open and why, in French in a French admin", () => {
    renderInAdmin(
      <EventFlags event={{ isBot: false, isMachineOpen: true, flagReason: 'applePrivacyProtection' }} />,
      'fr',
    );
    expect(screen.getByText(fr['tracking.flag.machine'])).toBeTruthy();
    expect(screen.getByText("proxy d'Apple (Mail Privacy Protection)")).toBeTruthy();
  });

  it('a person has no flag and no reason', () => {
    const { container } = renderInAdmin(
      <EventFlags event={{ isBot: false, isMachineOpen: false, flagReason: null }} />,
    );
    expect(container.textContent).toBe('–');
  });

  it('an event flagged before reasons were kept shows its flag alone', () => {
    const { container } = renderInAdmin(<EventFlags event={{ isBot: true, isMachineOpen: false, flagReason: null }} />);
    expect(container.textContent).toBe('bot');
  });

  it.each(['en', 'fr'] as const)('every reason has its own words in %s', (locale) => {
    const messages: Record<string, string> = locale === 'en' ? en : fr;
    const shown = FLAG_REASONS.map((flagReason) => {
      const { container, unmount } = renderInAdmin(
        <EventFlags event={{ isBot: true, isMachineOpen: false, flagReason }} />,
        locale,
      );
      const text = container.textContent ?? '';
      unmount();
      expect(text).toContain(messages[`tracking.flagReason.${flagReason}`]);
      return text;
    });
    expect(new Set(shown).size).toBe(FLAG_REASONS.length);
  });
});
