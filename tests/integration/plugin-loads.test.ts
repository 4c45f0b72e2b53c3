import { bootTestApp, type TestApp } from '../helpers/strapi';
import { UID } from '../../shared/constants';

describe('the plugin in a Strapi app', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp();
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('is loaded under the id "campaigns"', () => {
    expect(app.strapi.plugin('campaigns')).toBeDefined();
  });

  it.each(Object.entries(UID))('registers the %s content type with its table', async (_name, uid) => {
    expect(app.strapi.contentType(uid as any)).toBeDefined();
    const table = app.strapi.db.metadata.get(uid).tableName;
    expect(await app.strapi.db.connection.schema.hasTable(table)).toBe(true);
  });

  it('creates the indexes the hot paths need', async () => {
    const indexes = (app.strapi.contentType(UID.trackingLog as any) as any).indexes.map((i: any) => i.name);
    expect(indexes).toEqual(
      expect.arrayContaining(['campaigns_tlogs_delivery_type_at_flags_idx', 'campaigns_tlogs_delivery_link_idx']),
    );
  });
});
