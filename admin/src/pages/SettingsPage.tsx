// Settings: transport (with a connection check), sender defaults, sending, tracking and privacy, alerts and
// retention. Saved in the plugin store over the file config (PUT /campaigns/settings).
import { useEffect, useMemo, useState } from 'react';
import {
  Box,
  Button,
  Field,
  Flex,
  Grid,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  Textarea,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Check, Server } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useSettings, useSettingsMutations, type PublicSettings } from '../api/client';
import { PERMISSIONS } from '../permissions';
import { apiProblemOf, type ApiProblem } from '../utils/errors';
import { changedLeaves, passwordToReenter } from '../utils/settings';
import { useT } from '../hooks/useT';
import { Switch } from '../components/Switch';

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
] as const;

const CRITERIA: Array<{ key: string; label: string; threshold?: { key: string; label: string } }> = [
  { key: 'deliveryFailed', label: 'Delivery failed' },
  { key: 'preparationFailed', label: 'Preparation failed' },
  { key: 'softBounceRatio', label: 'Soft bounces above', threshold: { key: 'percent', label: '% of processed' } },
  { key: 'hardBounceRatio', label: 'Hard bounces above', threshold: { key: 'percent', label: '% of processed' } },
  {
    key: 'scheduledNotStarted',
    label: 'Scheduled delivery not started after',
    threshold: { key: 'delayMinutes', label: 'minutes' },
  },
  { key: 'throughputBelow', label: 'Throughput below', threshold: { key: 'perMinute', label: 'messages per minute' } },
  { key: 'deliveryStarted', label: 'Delivery started' },
  { key: 'deliveryFinished', label: 'Delivery finished (with a summary)' },
];

const getAt = (object: any, path: string) =>
  path.split('.').reduce((value, key) => (value == null ? undefined : value[key]), object);

const setAt = (object: any, path: string, value: unknown): any => {
  const [head, ...rest] = path.split('.');
  return { ...object, [head]: rest.length ? setAt(object?.[head] ?? {}, rest.join('.'), value) : value };
};

const pickEditable = (settings: PublicSettings) =>
  Object.fromEntries(EDITABLE.filter((key) => settings[key] !== undefined).map((key) => [key, settings[key]]));

const splitList = (value: string) =>
  value
    .split(/[\s,;]+/)
    .map((v) => v.trim())
    .filter(Boolean);

const Section = ({
  title,
  description,
  children,
  action,
}: {
  title: string;
  description?: string;
  children: React.ReactNode;
  action?: React.ReactNode;
}) => (
  <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex justifyContent="space-between" alignItems="flex-start">
        <Box>
          <Typography variant="delta" tag="h2">
            {title}
          </Typography>
          {description && (
            <Box paddingTop={1}>
              <Typography variant="pi" textColor="neutral600">
                {description}
              </Typography>
            </Box>
          )}
        </Box>
        {action}
      </Flex>
      {children}
    </Flex>
  </Box>
);

const SettingsForm = ({ settings }: { settings: PublicSettings }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { save, verifyTransport } = useSettingsMutations();
  const initial = useMemo(() => pickEditable(settings), [settings]);
  const [form, setForm] = useState<any>(initial);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [verify, setVerify] = useState<{ ok: boolean; error?: string } | null>(null);
  useEffect(() => setForm(initial), [initial]);
  const dirty = JSON.stringify(form) !== JSON.stringify(initial);
  const set = (path: string, value: unknown) => {
    setForm((f: any) => setAt(f, path, value));
    // A check of the transport as it was says nothing about the values being typed: drop it.
    if (path === 'messenger' || path.startsWith('smtp.')) setVerify(null);
  };
  const reenter = passwordToReenter(initial.smtp, form.smtp);
  const passwordNeeded = reenter.length
    ? t(
        'settings.smtp.pass.reenter',
        'Enter the password again: it is only sent where it was entered for ({changed} changed)',
        { changed: reenter.join(', ') },
      )
    : undefined;
  const error = (path: string) => problem?.fields[path] ?? (path === 'smtp.pass' ? passwordNeeded : undefined);

  const text = (path: string, label: string, options: { hint?: string; type?: string; col?: number } = {}) => (
    <Grid.Item col={options.col ?? 6} s={12} direction="column" alignItems="stretch">
      <Field.Root name={path} error={error(path)} hint={options.hint} width="100%">
        <Field.Label>{label}</Field.Label>
        <TextInput
          type={options.type ?? 'text'}
          value={getAt(form, path) ?? ''}
          onChange={(e: any) => set(path, e.target.value)}
        />
        <Field.Error />
        <Field.Hint />
      </Field.Root>
    </Grid.Item>
  );

  /** `plain`: digits as typed, without grouping (a port is not a quantity). */
  const number = (path: string, label: string, options: { hint?: string; col?: number; plain?: boolean } = {}) => (
    <Grid.Item col={options.col ?? 4} s={12} direction="column" alignItems="stretch">
      <Field.Root name={path} error={error(path)} hint={options.hint} width="100%">
        <Field.Label>{label}</Field.Label>
        {options.plain ? (
          <TextInput
            type="number"
            value={getAt(form, path) ?? ''}
            onChange={(e: any) => set(path, e.target.value === '' ? 0 : Number(e.target.value))}
          />
        ) : (
          <NumberInput value={getAt(form, path) ?? undefined} onValueChange={(value) => set(path, value ?? 0)} />
        )}
        <Field.Error />
        <Field.Hint />
      </Field.Root>
    </Grid.Item>
  );

  const toggle = (path: string, label: string, options: { hint?: string; col?: number } = {}) => (
    <Grid.Item col={options.col ?? 4} s={12} direction="column" alignItems="stretch">
      <Field.Root name={path} error={error(path)} hint={options.hint} width="100%">
        <Field.Label>{label}</Field.Label>
        <Switch
          aria-label={label}
          checked={Boolean(getAt(form, path))}
          onCheckedChange={(checked: boolean) => set(path, checked)}
        />
        <Field.Error />
        <Field.Hint />
      </Field.Root>
    </Grid.Item>
  );

  const onSave = async () => {
    setProblem(null);
    try {
      await save.mutateAsync((changedLeaves(initial, form) ?? {}) as any);
      toggleNotification({ type: 'success', message: t('settings.saved', 'Settings saved') });
    } catch (e) {
      const found = apiProblemOf(e);
      setProblem(found);
      toggleNotification({ type: 'danger', message: found.message });
    }
  };

  const onVerify = async () => {
    setVerify(null);
    try {
      setVerify(await verifyTransport.mutateAsync());
    } catch (e) {
      setVerify({ ok: false, error: apiProblemOf(e).message });
    }
  };

  return (
    <Page.Main>
      <Page.Title>{t('settings.title', 'Campaigns settings')}</Page.Title>
      <Layouts.Header
        title={t('settings.title', 'Campaigns settings')}
        subtitle={t('settings.subtitle', 'Transport, sender defaults, tracking and privacy, alerts and retention')}
        primaryAction={
          <Button startIcon={<Check />} onClick={onSave} loading={save.isLoading} disabled={!dirty}>
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
              <Flex direction="column" alignItems="flex-end" gap={1}>
                <Button
                  variant="secondary"
                  startIcon={<Server />}
                  onClick={onVerify}
                  loading={verifyTransport.isLoading}
                  disabled={dirty}
                >
                  {t('settings.verify', 'Verify connection')}
                </Button>
                {dirty && (
                  <Typography variant="pi" textColor="neutral600">
                    {t('settings.verify.saveFirst', 'Save first to check the new values')}
                  </Typography>
                )}
                {verify && (
                  <Typography
                    variant="pi"
                    textColor={verify.ok ? 'success600' : 'danger600'}
                    role="status"
                    data-testid="verify-result"
                  >
                    {verify.ok
                      ? t('settings.verify.ok', 'Connected')
                      : t('settings.verify.failed', 'Failed: {error}', { error: verify.error ?? '' })}
                  </Typography>
                )}
              </Flex>
            }
          >
            <Grid.Root gap={4}>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <Field.Root name="messenger" error={error('messenger')} width="100%">
                  <Field.Label>{t('settings.messenger', 'Send with')}</Field.Label>
                  <SingleSelect value={form.messenger} onChange={(value) => set('messenger', String(value))}>
                    <SingleSelectOption value="smtp">{t('settings.messenger.smtp', 'SMTP server')}</SingleSelectOption>
                    <SingleSelectOption value="strapi-email">
                      {t('settings.messenger.strapi', 'Strapi email provider')}
                    </SingleSelectOption>
                    {/* Messengers the app registered, by their name. */}
                    {((settings.messengers ?? []) as string[])
                      .filter((name) => name !== 'smtp' && name !== 'strapi-email')
                      .map((name) => (
                        <SingleSelectOption key={name} value={name}>
                          {name}
                        </SingleSelectOption>
                      ))}
                  </SingleSelect>
                  <Field.Error />
                </Field.Root>
              </Grid.Item>
              {form.messenger === 'smtp' && (
                <>
                  {text('smtp.host', t('settings.smtp.host', 'Host'), { col: 5 })}
                  {number('smtp.port', t('settings.smtp.port', 'Port'), { col: 3, plain: true })}
                  {text('smtp.user', t('settings.smtp.user', 'User'), {
                    col: 4,
                    hint: t('settings.smtp.user.hint', 'Empty: no authentication'),
                  })}
                  {text('smtp.pass', t('settings.smtp.pass', 'Password'), {
                    col: 4,
                    type: 'password',
                    hint: t('settings.smtp.pass.hint', 'Left as ******** keeps the saved password'),
                  })}
                  {toggle('smtp.secure', t('settings.smtp.secure', 'TLS from the start (port 465)'), { col: 4 })}
                  {number('smtp.pool', t('settings.smtp.pool', 'Pooled connections'))}
                  {number('smtp.maxMessagesPerConnection', t('settings.smtp.maxMessages', 'Messages per connection'))}
                  {toggle(
                    'smtp.rejectUnauthorized',
                    t('settings.smtp.rejectUnauthorized', 'Refuse invalid certificates'),
                  )}
                  {toggle(
                    'smtp.allowInsecureAuth',
                    t('settings.smtp.allowInsecureAuth', 'Password without verified TLS'),
                    {
                      hint: t(
                        'settings.smtp.allowInsecureAuth.hint',
                        'Off: to a host beyond this machine, only after STARTTLS and with a valid certificate',
                      ),
                    },
                  )}
                </>
              )}
            </Grid.Root>
          </Section>

          <Section
            title={t('settings.sender', 'Sender defaults')}
            description={t('settings.sender.description', 'Used by deliveries that name no sender.')}
          >
            <Grid.Root gap={4}>
              {text('defaultFrom.name', t('settings.defaultFrom.name', 'From name'), { col: 4 })}
              {text('defaultFrom.email', t('settings.defaultFrom.email', 'From email'), { col: 4, type: 'email' })}
              {text('listUnsubscribeMailto', t('settings.listUnsubscribeMailto', 'Unsubscribe mailbox'), {
                col: 4,
                type: 'email',
                hint: t(
                  'settings.listUnsubscribeMailto.hint',
                  'Added to the List-Unsubscribe header beside the one-click link',
                ),
              })}
            </Grid.Root>
          </Section>

          <Section title={t('settings.sending', 'Sending')}>
            <Grid.Root gap={4}>
              {number('sending.batchSize', t('settings.sending.batchSize', 'Recipients per batch'))}
              {number('sending.maxAttempts', t('settings.sending.maxAttempts', 'Attempts for a soft failure'))}
              {number('sending.retryBaseMs', t('settings.sending.retryBaseMs', 'First retry after (ms)'), {
                hint: t('settings.sending.retryBaseMs.hint', 'Doubles at each attempt'),
              })}
              {number(
                'sending.largeDeliveryThreshold',
                t('settings.sending.largeDeliveryThreshold', 'Large delivery above (recipients)'),
              )}
              {number(
                'sending.staggerMinutes',
                t('settings.sending.staggerMinutes', 'Gap between large deliveries (minutes)'),
              )}
            </Grid.Root>
          </Section>

          <Section title={t('settings.tracking', 'Tracking and privacy')}>
            <Grid.Root gap={4}>
              {toggle('tracking.individualTracking', t('settings.tracking.individual', 'Individual tracking'), {
                hint: t(
                  'settings.tracking.individual.hint',
                  'Off: events keep counts only, with no link to the contact',
                ),
              })}
              {toggle('tracking.storeIp', t('settings.tracking.storeIp', 'Store IP addresses'))}
              {toggle('tracking.anonymizeIp', t('settings.tracking.anonymizeIp', 'Anonymise stored IP addresses'))}
              {number(
                'tracking.scannerWindowSeconds',
                t('settings.tracking.scanner', 'Link scanner window (seconds)'),
                {
                  hint: t(
                    'settings.tracking.scanner.hint',
                    'Clicks sooner than this after sending are flagged as bots',
                  ),
                },
              )}
            </Grid.Root>
          </Section>

          {form.alerts && (
            <Section
              title={t('settings.alerts', 'Alerts')}
              description={t(
                'settings.alerts.description',
                'Sent by email at most once per criterion, delivery and day, and kept in the monitoring page.',
              )}
            >
              <Grid.Root gap={4}>
                {toggle('alerts.enabled', t('settings.alerts.enabled', 'Alerts on'))}
                {number('alerts.checkEveryMinutes', t('settings.alerts.checkEvery', 'Check every (minutes)'))}
                {number(
                  'alerts.minProcessed',
                  t('settings.alerts.minProcessed', 'Judge bounce ratios after (messages)'),
                )}
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <Field.Root
                    name="alerts.recipients"
                    error={error('alerts.recipients')}
                    hint={t('settings.alerts.recipients.hint', 'Addresses, separated by commas or new lines')}
                    width="100%"
                  >
                    <Field.Label>{t('settings.alerts.recipients', 'Recipients')}</Field.Label>
                    <Textarea
                      value={(form.alerts.recipients ?? []).join('\n')}
                      onChange={(e: any) => set('alerts.recipients', splitList(e.target.value))}
                    />
                    <Field.Error />
                    <Field.Hint />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <Field.Root
                    name="alerts.roles"
                    error={error('alerts.roles')}
                    hint={t(
                      'settings.alerts.roles.hint',
                      'Admin role codes whose users receive every alert, e.g. strapi-super-admin',
                    )}
                    width="100%"
                  >
                    <Field.Label>{t('settings.alerts.roles', 'Admin roles')}</Field.Label>
                    <TextInput
                      value={(form.alerts.roles ?? []).join(', ')}
                      onChange={(e: any) => set('alerts.roles', splitList(e.target.value))}
                    />
                    <Field.Error />
                    <Field.Hint />
                  </Field.Root>
                </Grid.Item>
              </Grid.Root>
              <Flex direction="column" alignItems="stretch" gap={2}>
                {CRITERIA.map((criterion) => (
                  <Flex key={criterion.key} gap={4} alignItems="center">
                    <Switch
                      aria-label={t(`settings.alerts.criterion.${criterion.key}`, criterion.label)}
                      checked={Boolean(getAt(form, `alerts.criteria.${criterion.key}.enabled`))}
                      onCheckedChange={(checked) => set(`alerts.criteria.${criterion.key}.enabled`, checked)}
                    />
                    <Typography>{t(`settings.alerts.criterion.${criterion.key}`, criterion.label)}</Typography>
                    {criterion.threshold && (
                      <Flex gap={2} alignItems="center">
                        <Box width="120px">
                          <NumberInput
                            aria-label={`${criterion.label} (${criterion.threshold.label})`}
                            value={
                              getAt(form, `alerts.criteria.${criterion.key}.${criterion.threshold.key}`) ?? undefined
                            }
                            onValueChange={(value) =>
                              set(`alerts.criteria.${criterion.key}.${criterion.threshold!.key}`, value ?? 0)
                            }
                            hasError={Boolean(error(`alerts.criteria.${criterion.key}.${criterion.threshold.key}`))}
                          />
                        </Box>
                        <Typography textColor="neutral600">
                          {t(`settings.alerts.unit.${criterion.threshold.key}`, criterion.threshold.label)}
                        </Typography>
                      </Flex>
                    )}
                  </Flex>
                ))}
              </Flex>
            </Section>
          )}

          <Section
            title={t('settings.retention', 'Retention')}
            description={t('settings.retention.description', 'A daily purge, in small batches. 0 keeps everything.')}
          >
            <Grid.Root gap={4}>
              {number('retention.logsDays', t('settings.retention.logsDays', 'Delete logs older than (days)'))}
              {number(
                'retention.deliveriesDays',
                t('settings.retention.deliveriesDays', 'Delete failed or cancelled deliveries after (days)'),
              )}
              {number(
                'retention.inactiveAfterDeliveries',
                t('settings.retention.inactive', 'Flag contacts inactive after (deliveries without a reaction)'),
              )}
              {getAt(form, 'retention.batchSize') !== undefined &&
                number('retention.batchSize', t('settings.retention.batchSize', 'Rows per delete'))}
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
