// The one writer of a delivery's status (server/src/sending/lifecycle.ts) on a real database: a move the lifecycle
// does not allow throws and writes nothing; racing callers get exactly one winner, and only the winner's move is
// announced as an event.
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { createDelivery } from '../helpers/campaigns';
import { UID } from '../../shared/constants';
import { CAMPAIGNS_EVENTS } from '../../shared/contracts/events';
import type { CampaignsApi } from '../../server/src/developer-api';
import { transition } from '../../server/src/sending/lifecycle';

describe('delivery status transitions', () => {
  let app: TestApp;
  let token: string;
  const events: Array<{ name: string; from: string; to: string }> = [];

  const statusOf = async (id: number) => (await app.strapi.db.query(UID.delivery).findOne({ where: { id } })).status;
  const newDraft = async (name: string) => {
    const created = await createDelivery(app, token, { name, subject: 'Hi', html: '<p>Hi</p>' });
    return (await app.strapi.db.query(UID.delivery).findOne({ where: { documentId: created.documentId } }))
      .id as number;
  };

  beforeAll(async () => {
    app = await bootTestApp();
    token = await app.superAdminToken();
    const api = app.strapi.plugin('campaigns').service('api') as CampaignsApi;
    api.events.subscribe(Object.values(CAMPAIGNS_EVENTS), (payload: any, name: string) => {
      if (name.startsWith('campaigns.delivery.'))
        events.push({ name, from: payload?.previousStatus, to: payload?.status });
    });
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('refuses a move the lifecycle does not allow, before writing anything', async () => {
    const id = await newDraft('Refused move');
    await expect(transition(app.strapi, id, 'draft', 'sent')).rejects.toThrow(/cannot move from draft to sent/);
    await expect(transition(app.strapi, id, ['draft', 'cancelled'], 'sending')).rejects.toThrow(
      /cannot move from draft, cancelled to sending/,
    );
    expect(await statusOf(id)).toBe('draft');
  });

  it('lets exactly one of many racing callers make a move, and announces it once', async () => {
    const id = await newDraft('Race');
    events.length = 0;
    const when = new Date(Date.now() + 3_600_000);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        transition(app.strapi, id, 'draft', 'scheduled', {
          changes: { scheduledAt: when },
          details: { scheduledAt: when },
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await statusOf(id)).toBe('scheduled');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(events.filter((event) => event.name === 'campaigns.delivery.scheduled')).toHaveLength(1);
  });

  it('changes nothing when the delivery is no longer in a status the move starts from', async () => {
    const id = await newDraft('Gone on');
    expect(await transition(app.strapi, id, 'paused', 'sending')).toBe(false);
    expect(await statusOf(id)).toBe('draft');
  });
});
