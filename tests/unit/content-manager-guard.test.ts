import { namesPluginType } from '../../server/src/middlewares/content-manager-guard';

describe('namesPluginType', () => {
  it('finds a plugin type in a path segment, however it is encoded or cased', () => {
    expect(namesPluginType('/content-manager/collection-types/plugin::campaigns.contact', '')).toBe(true);
    expect(namesPluginType('/content-manager/collection-types/plugin%3A%3Acampaigns.contact/abc', '')).toBe(true);
    expect(namesPluginType('/content-manager/collection-types/%70lugin%3a%3acampaigns%2Edelivery', '')).toBe(true);
    expect(namesPluginType('/content-manager/collection-types/PLUGIN::Campaigns.contact', '')).toBe(true);
  });

  it('finds it in a query key or value, and next to a malformed escape', () => {
    expect(namesPluginType('/content-manager/history-versions', 'contentType=plugin%3A%3Acampaigns.delivery&page=1')).toBe(true);
    expect(namesPluginType('/content-manager/history-versions', 'x[plugin::campaigns.list]=1')).toBe(true);
    expect(namesPluginType('/content-manager/collection-types/plugin%3A%3Acampaigns.contact/%ZZ', '')).toBe(true);
  });

  it('lets other content types through', () => {
    expect(namesPluginType('/content-manager/collection-types/api::article.article', 'contentType=plugin::users-permissions.user')).toBe(false);
    expect(namesPluginType('/content-manager/init', '')).toBe(false);
  });
});
