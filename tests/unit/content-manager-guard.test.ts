import { isContentManagerRequestForPluginType } from '../../server/src/platform/content-manager-guard';

describe('isContentManagerRequestForPluginType', () => {
  it.each([
    ['/content-manager/collection-types/plugin::campaigns.contact', ''],
    ['/content-manager/collection-types/plugin%3A%3Acampaigns.contact/abc', ''],
    ['/content-manager/collection-types/%70lugin%3a%3acampaigns%2Edelivery', ''],
    ['/content-manager/collection-types/PLUGIN::Campaigns.contact', ''],
    ['/Content-Manager/collection-types/plugin::campaigns.contact', ''],
    ['//content-manager//collection-types/plugin::campaigns.contact', ''],
    ['/content-manager/collection-types/plugin%3A%3Acampaigns.contact/%ZZ', ''],
    ['/content-manager/history-versions', 'contentType=plugin%3A%3Acampaigns.delivery&page=1'],
    ['/content-manager/history-versions', 'x[plugin::campaigns.list]=1'],
  ])('refuses %s?%s: the router reads it as a plugin type (any case, encoding or slashes)', (path, query) => {
    expect(isContentManagerRequestForPluginType(path, query)).toBe(true);
  });

  it.each([
    ['/content-manager/collection-types/api::article.article', 'contentType=plugin::users-permissions.user'],
    ['/content-manager/init', ''],
    ['/campaigns/reports', 'uid=plugin::campaigns.contact'],
  ])('lets %s?%s through', (path, query) => {
    expect(isContentManagerRequestForPluginType(path, query)).toBe(false);
  });
});
