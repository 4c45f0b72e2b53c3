// Demo engagement: real hits on the tracking links of the messages in the mail catcher, from several kinds of reader,
// and a few bounces through the generic webhook, so every page of the demo shows data on first start.
const AGENTS = {
  chrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  iosMail:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  outlook: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
  gmailProxy: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  applePrivacy: 'Mozilla/5.0',
  scanner: 'Barracuda Sentinel (EE)',
};

const hrefs = (html) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
const pixel = (html) => /src="([^"]+\/api\/campaigns\/o\/[^"]+)"/.exec(html)?.[1];

const hit = (url, agent) =>
  fetch(url, { headers: { 'user-agent': AGENTS[agent] }, redirect: 'manual' }).catch(() => undefined);

/** Plays a believable day of reactions on the messages received so far; returns what it did. */
const playEngagement = async ({ mailUrl, strapiUrl, webhookSecret }) => {
  const messages = await (await fetch(`${mailUrl}/api/messages`)).json();
  const done = { opens: 0, clicks: 0, bounces: 0 };
  for (const [index, message] of messages.entries()) {
    const html = await (await fetch(`${mailUrl}/messages/${message.id}/html`)).text();
    const open = pixel(html);
    const clicks = hrefs(html).filter((url) => url.includes('/api/campaigns/c/'));
    if (index % 10 === 0) {
      // A hard bounce reported by the provider after the message was accepted.
      await fetch(`${strapiUrl}/api/campaigns/webhooks/generic`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-campaigns-secret': webhookSecret },
        body: JSON.stringify({
          type: 'bounce',
          messageId: message.messageId,
          bounceType: 'hard',
          diagnostic: '550 5.1.1 user unknown',
        }),
      });
      done.bounces += 1;
      continue;
    }
    if (!open) continue;
    const reader = ['chrome', 'iosMail', 'outlook', 'gmailProxy', 'applePrivacy'][index % 5];
    if (index % 3 !== 2) {
      await hit(open, reader);
      done.opens += 1;
    }
    if (index % 4 === 1 && clicks.length) {
      await hit(clicks[index % clicks.length], reader === 'applePrivacy' ? 'chrome' : reader);
      done.clicks += 1;
    }
    if (index % 17 === 0) for (const url of clicks) await hit(url, 'scanner');
  }
  return done;
};

module.exports = { playEngagement };
