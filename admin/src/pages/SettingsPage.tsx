// Settings: transport (with a connection check), sender defaults, sending, tracking and privacy, the bounce mailbox,
// sign-up (and the sign-up form snippet), alerts and retention. Saved in the plugin store over the file config (PUT /campaigns/settings).
import { useMemo, useState } from 'react';
import { Box, Button, Flex, Grid, Typography } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useSettings, useSettingsMutations, type PublicSettings } from '../api/client';
import { PERMISSIONS } from '../permissions';
import { configSchema } from '../../../shared/config-schema';
import { apiProblemOf, type ApiProblem } from '../utils/errors';
import { changedLeaves, passwordToReenter } from '../utils/settings';
import { useT } from '../hooks/useT';
import { ListField, NumberField, SelectField, TextField, ToggleField } from '../components/form/fields';
import { useSchemaForm } from '../components/form/useSchemaForm';
import { VerifyButton } from '../components/settings/VerifyButton';
import { Section } from '../components/Section';
import { AlertCriteria } from '../components/settings/AlertCriteria';
import { SendingSections } from '../components/settings/SendingSections';
import { BounceMailboxSection } from '../components/settings/BounceMailboxSection';
import { SubscribeSection } from '../components/settings/SubscribeSection';
import { SignupFormSection } from '../components/settings/SignupFormSection';

/** The sections the page edits (the others, such as tokenKeys and publicUrl, stay in config/plugins.ts). */
const EDITABLE = [
  'messenger',
  'smtp',
  'defaultFrom',
  'listUnsubscribeMailto',
  'sending',
  'tracking',
  'alerts',
  'retention',
  'bounceMailbox',
  'subscribe',
] as const;

/** The server's own rules for the sections the page edits (shared/config-schema.ts). */
const editableSchema = configSchema.pick({
  messenger: true,
  smtp: true,
  defaultFrom: true,
  listUnsubscribeMailto: true,
  sending: true,
  tracking: true,
  alerts: true,
  retention: true,
  bounceMailbox: true,
  subscribe: true,
});

const pickEditable = (settings: PublicSettings): Record<string, unknown> =>
  Object.fromEntries(EDITABLE.filter((key) => settings[key] !== undefined).map((key) => [key, settings[key]]));

const SettingsForm = ({ settings }: { settings: PublicSettings }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { save, verifyTransport } = useSettingsMutations();
  const initial = useMemo(() => pickEditable(settings), [settings]);
  const form = useSchemaForm(editableSchema, initial);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const values = form.values as { messenger?: string; smtp?: Parameters<typeof passwordToReenter>[0]; alerts?: object };
  const set = (path: string, value: unknown) => {
    form.set(path, value);
    setProblem(null);
  };
  const reenter = passwordToReenter(initial.smtp as Parameters<typeof passwordToReenter>[0], values.smtp);
  const passwordNeeded = reenter.length
    ? t(
        'settings.smtp.pass.reenter',
        'Enter the password again: it is only sent where it was entered for ({changed} changed)',
        { changed: reenter.join(', ') },
      )
    : undefined;
  const errors: Record<string, string> = { ...form.errors };
  if (passwordNeeded) errors['smtp.pass'] ??= passwordNeeded;
  const fields = { ...form, set, errors };
  const dirty = form.dirty;

  const onSave = async () => {
    setProblem(null);
    try {
      await save.mutateAsync((changedLeaves(initial, form.values) ?? {}) as Parameters<typeof save.mutateAsync>[0]);
      toggleNotification({ type: 'success', message: t('settings.saved', 'Settings saved') });
    } catch (e) {
      const found = apiProblemOf(e);
      setProblem(found);
      form.setServerErrors(found.fields);
      toggleNotification({ type: 'danger', message: found.message });
    }
  };

  return (
    <Page.Main>
      <Page.Title>{t('settings.title', 'Campaigns settings')}</Page.Title>
      <Layouts.Header
        title={t('settings.title', 'Campaigns settings')}
        subtitle={t('settings.subtitle', 'Transport, sender defaults, tracking and privacy, alerts and retention')}
        primaryAction={
          <Button startIcon={<Check />} onClick={onSave} loading={save.isLoading} disabled={!dirty || !form.valid}>
            {t('settings.save', 'Save')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          {problem && (
            <Box background="danger100" padding={4} hasRadius role="alert">
              <Typography textColor="danger700">{problem.message}</Typography>
            </Box>
          )}
          <Section
            title={t('settings.transport', 'Transport')}
            description={t(
              'settings.transport.description',
              'How messages leave: your SMTP server (pooled connections), or the email provider Strapi is configured with.',
            )}
            action={
              <VerifyButton
                label={t('settings.verify', 'Verify connection')}
                check={() => verifyTransport.mutateAsync()}
                checking={verifyTransport.isLoading}
                dirty={dirty}
                testId="verify-result"
                values={[values.messenger, values.smtp]}
              />
            }
          >
            <Grid.Root gap={4}>
              <SelectField
                form={fields}
                path="messenger"
                label={t('settings.messenger', 'Send with')}
                options={[
                  { value: 'smtp', label: t('settings.messenger.smtp', 'SMTP server') },
                  { value: 'strapi-email', label: t('settings.messenger.strapi', 'Strapi email provider') },
                  // Messengers the app registered, by their name.
                  ...((settings.messengers ?? []) as string[])
                    .filter((name) => name !== 'smtp' && name !== 'strapi-email')
                    .map((name) => ({ value: name, label: name })),
                ]}
              />
              {values.messenger === 'smtp' && (
                <>
                  <TextField form={fields} path="smtp.host" label={t('settings.smtp.host', 'Host')} col={5} />
                  <NumberField form={fields} path="smtp.port" label={t('settings.smtp.port', 'Port')} col={3} plain />
                  <TextField
                    form={fields}
                    path="smtp.user"
                    label={t('settings.smtp.user', 'User')}
                    col={4}
                    hint={t('settings.smtp.user.hint', 'Empty: no authentication')}
                  />
                  <TextField
                    form={fields}
                    path="smtp.pass"
                    label={t('settings.smtp.pass', 'Password')}
                    col={4}
                    type="password"
                    hint={t('settings.smtp.pass.hint', 'Left as ******** keeps the saved password')}
                  />
                  <ToggleField
                    form={fields}
                    path="smtp.secure"
                    label={t('settings.smtp.secure', 'TLS from the start (port 465)')}
                    col={4}
                  />
                  <NumberField form={fields} path="smtp.pool" label={t('settings.smtp.pool', 'Pooled connections')} />
                  <NumberField
                    form={fields}
                    path="smtp.maxMessagesPerConnection"
                    label={t('settings.smtp.maxMessages', 'Messages per connection')}
                  />
                  <ToggleField
                    form={fields}
                    path="smtp.rejectUnauthorized"
                    label={t('settings.smtp.rejectUnauthorized', 'Refuse invalid certificates')}
                  />
                  <ToggleField
                    form={fields}
                    path="smtp.allowInsecureAuth"
                    label={t('settings.smtp.allowInsecureAuth', 'Password without verified TLS')}
                    hint={t(
                      'settings.smtp.allowInsecureAuth.hint',
                      'Off: to a host beyond this machine, only after STARTTLS and with a valid certificate',
                    )}
                  />
                </>
              )}
            </Grid.Root>
          </Section>

          <Section
            title={t('settings.sender', 'Sender defaults')}
            description={t('settings.sender.description', 'Used by deliveries that name no sender.')}
          >
            <Grid.Root gap={4}>
              <TextField
                form={fields}
                path="defaultFrom.name"
                label={t('settings.defaultFrom.name', 'From name')}
                col={4}
              />
              <TextField
                form={fields}
                path="defaultFrom.email"
                label={t('settings.defaultFrom.email', 'From email')}
                col={4}
                type="email"
              />
              <TextField
                form={fields}
                path="listUnsubscribeMailto"
                label={t('settings.listUnsubscribeMailto', 'Unsubscribe mailbox')}
                col={4}
                type="email"
                hint={t(
                  'settings.listUnsubscribeMailto.hint',
                  'Added to the List-Unsubscribe header beside the one-click link',
                )}
              />
            </Grid.Root>
          </Section>

          <SendingSections form={fields} />

          <Section title={t('settings.tracking', 'Tracking and privacy')}>
            <Grid.Root gap={4}>
              <ToggleField
                form={fields}
                path="tracking.individualTracking"
                label={t('settings.tracking.individual', 'Individual tracking')}
                hint={t(
                  'settings.tracking.individual.hint',
                  'Off: events keep counts only, with no link to the contact',
                )}
              />
              <ToggleField
                form={fields}
                path="tracking.storeIp"
                label={t('settings.tracking.storeIp', 'Store IP addresses')}
              />
              <ToggleField
                form={fields}
                path="tracking.anonymizeIp"
                label={t('settings.tracking.anonymizeIp', 'Anonymise stored IP addresses')}
              />
              <NumberField
                form={fields}
                path="tracking.scannerWindowSeconds"
                label={t('settings.tracking.scanner', 'Link scanner window (seconds)')}
                hint={t('settings.tracking.scanner.hint', 'Clicks sooner than this after sending are flagged as bots')}
              />
              <TextField
                form={fields}
                path="tracking.utm.source"
                label={t('settings.tracking.utm.source', 'Default utm_source')}
                col={4}
              />
              <TextField
                form={fields}
                path="tracking.utm.medium"
                label={t('settings.tracking.utm.medium', 'Default utm_medium')}
                col={4}
              />
              <TextField
                form={fields}
                path="tracking.utm.campaign"
                label={t('settings.tracking.utm.campaign', 'Default utm_campaign')}
                hint={t('settings.tracking.utm.campaign.hint', "Empty: the delivery's name as a slug")}
                col={4}
              />
            </Grid.Root>
          </Section>

          {form.get('bounceMailbox') !== undefined && <BounceMailboxSection form={fields} dirty={dirty} />}

          {form.get('subscribe') !== undefined && <SubscribeSection form={fields} />}
          <SignupFormSection
            publicUrl={typeof settings.publicUrl === 'string' ? settings.publicUrl : ''}
            attributes={((settings.subscribe as { attributes?: string[] } | undefined)?.attributes ?? []) as string[]}
          />

          {values.alerts && (
            <Section
              title={t('settings.alerts', 'Alerts')}
              description={t(
                'settings.alerts.description',
                'Sent by email at most once per criterion, delivery and day, and kept in the monitoring page.',
              )}
            >
              <Grid.Root gap={4}>
                <ToggleField form={fields} path="alerts.enabled" label={t('settings.alerts.enabled', 'Alerts on')} />
                <NumberField
                  form={fields}
                  path="alerts.checkEveryMinutes"
                  label={t('settings.alerts.checkEvery', 'Check every (minutes)')}
                />
                <NumberField
                  form={fields}
                  path="alerts.minProcessed"
                  label={t('settings.alerts.minProcessed', 'Judge bounce ratios after (messages)')}
                />
                <ListField
                  form={fields}
                  path="alerts.recipients"
                  label={t('settings.alerts.recipients', 'Recipients')}
                  hint={t('settings.alerts.recipients.hint', 'Addresses, separated by commas or new lines')}
                  multiline
                />
                <ListField
                  form={fields}
                  path="alerts.roles"
                  label={t('settings.alerts.roles', 'Admin roles')}
                  hint={t(
                    'settings.alerts.roles.hint',
                    'Admin role codes whose users receive every alert, e.g. strapi-super-admin',
                  )}
                />
              </Grid.Root>
              <AlertCriteria form={fields} />
            </Section>
          )}

          <Section
            title={t('settings.retention', 'Retention')}
            description={t('settings.retention.description', 'A daily purge, in small batches. 0 keeps everything.')}
          >
            <Grid.Root gap={4}>
              <NumberField
                form={fields}
                path="retention.logsDays"
                label={t('settings.retention.logsDays', 'Delete logs older than (days)')}
              />
              <NumberField
                form={fields}
                path="retention.deliveriesDays"
                label={t('settings.retention.deliveriesDays', 'Delete failed or cancelled deliveries after (days)')}
              />
              <NumberField
                form={fields}
                path="retention.inactiveAfterDeliveries"
                label={t('settings.retention.inactive', 'Flag contacts inactive after (deliveries without a reaction)')}
              />
              {form.get('retention.batchSize') !== undefined && (
                <NumberField
                  form={fields}
                  path="retention.batchSize"
                  label={t('settings.retention.batchSize', 'Rows per delete')}
                />
              )}
            </Grid.Root>
          </Section>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export const SettingsPage = () => {
  const { data, isLoading, isError } = useSettings();
  return (
    <Page.Protect permissions={PERMISSIONS.settings}>
      {isLoading ? <Page.Loading /> : isError || !data ? <Page.Error /> : <SettingsForm settings={data} />}
    </Page.Protect>
  );
};
