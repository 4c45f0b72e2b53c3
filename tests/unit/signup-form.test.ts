// The sign-up form snippet: the fields the subscribe route reads, every value escaped.
import { signupFormHtml, signupFormOptions, type SignupFormOptions } from '../../shared/signup-form';

const LISTS = [
  { documentId: 'news1', name: 'Weekly <news>' },
  { documentId: 'offers1', name: 'Offers' },
  { documentId: 'staff1', name: 'Not picked' },
];
const OPTIONS: SignupFormOptions = {
  lists: { news1: true, offers1: true, staff1: false },
  firstName: true,
  lastName: false,
  attributes: { company: true, plan: false },
  language: 'fr',
  consentText: 'I agree "to" <everything>',
  source: 'Footer form',
  button: 'Subscribe',
};
const ACTION = 'https://cms.example.test/api/campaigns/subscribe';

describe('sign-up form snippet', () => {
  it('posts the fields of the subscribe route, with the picked lists ticked', () => {
    const html = signupFormHtml(OPTIONS, ACTION, LISTS);
    expect(html).toContain(`<form method="post" action="${ACTION}" accept-charset="utf-8">`);
    expect(html).toContain('name="email" required');
    expect(html).toContain('name="firstName"');
    expect(html).not.toContain('name="lastName"');
    expect(html).toContain('name="attributes[company]"');
    expect(html).not.toContain('attributes[plan]');
    expect(html).toContain('<input type="checkbox" name="lists" value="news1" checked> Weekly &lt;news&gt;');
    expect(html).toContain('value="offers1" checked');
    expect(html).not.toContain('staff1');
    expect(html).toContain('<input type="hidden" name="locale" value="fr">');
    expect(html).toContain('<input type="hidden" name="source" value="Footer form">');
    expect(html).toContain('name="consentText" value="I agree &quot;to&quot; &lt;everything&gt;"');
    expect(html).not.toMatch(/<script/);
  });

  it('carries a single list as a hidden field', () => {
    const html = signupFormHtml({ ...OPTIONS, lists: { news1: true } }, ACTION, LISTS);
    expect(html).toContain('<input type="hidden" name="lists" value="news1">');
    expect(html).not.toContain('type="checkbox" name="lists"');
  });

  it('asks for at least one list and for the words people agree to', () => {
    expect(signupFormOptions.safeParse({ ...OPTIONS, lists: { news1: false } }).success).toBe(false);
    expect(signupFormOptions.safeParse({ ...OPTIONS, consentText: ' ' }).success).toBe(false);
    expect(signupFormOptions.safeParse(OPTIONS).success).toBe(true);
  });
});
