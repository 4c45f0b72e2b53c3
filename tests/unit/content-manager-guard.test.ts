import { isContentManagerRequestForPluginType } from '../../server/src/middlewares/content-manager-guard';

describe('isContentManagerRequestForPluginType', () => {
  it('finds a plugin type in a path segment, however it is encoded or cased', () => {
    expect(isContentManagerRequestForPluginType('/content-manager/collection-types/plugin::campaigns.contact', '')).toBe(true);
    expect(isContentManagerRequestForPluginType('/content-manager/collection-types/plugin%3A%3Acampaigns.contact/abc', '')).toBe(true);
    expect(isContentManagerRequestForPluginType('/content-manager/collection-types/%70lugin%3a%3acampaigns%2Edelivery', '')).toBe(true);
    expect(isContentManagerRequestForPluginType('/content-manager/collection-types/PLUGIN::Campaigns.contact', '')).toBe(true);
  });

  it('finds it in a query key or value, and next to a malformed escape', () => {
    expect(isContentManagerRequestForPluginType('/content-manager/history-versions', 'contentType=plugin%3A%3Acampaigns.delivery&page=1')).toBe(true);
    expect(isContentManagerRequestForPluginType('/content-manager/history-versions', 'x[plugin::campaigns.list]=1')).toBe(true);
    expect(isContentManagerRequestForPluginType('/content-manager/collection-types/plugin%3A%3Acampaigns.contact/%ZZ', '')).toBe(true);
  });

  it('reads the path as the router does: any case, doubled slashes', () => {
    expect(isContentManagerRequestForPluginType('/Content-Manager/collection-types/plugin::campaigns.contact', '')).toBe(true);
    expect(isContentManagerRequestForPluginType('//content-manager//collection-types/plugin::campaigns.contact', '')).toBe(true);
  });

  it('lets other content types and other routes through', () => {
    expect(isContentManagerRequestForPluginType('/campaigns/reports', 'uid=plugin::campaigns.contact')).toBe(false);
    expect(isContentManagerRequestForPluginType('/content-manager/collection-types/api::article.article', 'contentType=plugin::users-permissions.user')).toBe(false);
    expect(isContentManagerRequestForPluginType('/content-manager/init', '')).toBe(false);
  });
});
