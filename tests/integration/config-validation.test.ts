import { bootTestApp } from '../helpers/strapi';

describe('plugin configuration', () => {
  it('stops Strapi with a message that names the bad key and what is wrong', async () => {
    await expect(bootTestApp({ pluginConfig: { smtp: { host: '127.0.0.1', port: 'twenty-five' } } })).rejects.toThrow(
      /Invalid configuration for the campaigns plugin[\s\S]*campaigns\.config\.smtp\.port: Expected number, received string/,
    );
  });

  it('rejects an unknown key and says where the allowed keys are listed', async () => {
    await expect(bootTestApp({ pluginConfig: { trackign: {} } })).rejects.toThrow(/unknown key\(s\) "trackign"/);
  });
});
