// The delivery editor: message, sender, audience, links and their tracking, a live preview, a test send and the send
// itself (now or scheduled) after a confirmation that states the audience size.
import { useMemo, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Field,
  Flex,
  Grid,
  NumberInput,
  Textarea,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Check, Mail, PaperPlane } from '@strapi/icons';
import { BackButton, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useNavigate, useParams } from 'react-router-dom';
import type { Delivery, DeliveryInput } from '../../../shared/contracts/deliveries';
import type { AudienceSegmentRef } from '../../../shared/contracts/extensions';
import { useDelivery, useDeliveryMutations, useLists } from '../api/client';
import { useAudienceSources } from '../api/extensions';
import { HtmlPreview } from '../components/editor/HtmlPreview';
import { PersonalisationHelp } from '../components/editor/PersonalisationHelp';
import { SendDialog } from '../components/editor/SendDialog';
import { segmentLabels, segmentsSize, SourceSegmentsPicker } from '../components/editor/SourceSegmentsPicker';
import { TestSendModal } from '../components/editor/TestSendModal';
import { PERMISSIONS } from '../permissions';
import { apiProblemOf, type ApiProblem } from '../utils/errors';
import { formatNumber } from '../utils/format';
import { findLinks } from '../utils/links';
import { paths } from '../utils/paths';
import { isEditable } from '../../../shared/lifecycle';
import { useT } from '../hooks/useT';
import { Section } from '../components/Section';
import { TrackingSection } from '../components/editor/TrackingSection';

interface FormState {
  name: string;
  subject: string;
  fromName: string;
  fromEmail: string;
  replyTo: string;
  html: string;
  text: string;
  lists: string[];
  audienceSegments: AudienceSegmentRef[];
  trackOpens: boolean;
  trackLinks: boolean;
  linkTracking: Record<string, boolean>;
  sendRate: number | undefined;
}

const EMPTY: FormState = {
  name: '',
  subject: '',
  fromName: '',
  fromEmail: '',
  replyTo: '',
  html: '',
  text: '',
  lists: [],
  audienceSegments: [],
  trackOpens: true,
  trackLinks: true,
  linkTracking: {},
  sendRate: undefined,
};

const fromDelivery = (d: Delivery): FormState => ({
  name: d.name,
  subject: d.subject,
  fromName: d.fromName ?? '',
  fromEmail: d.fromEmail ?? '',
  replyTo: d.replyTo ?? '',
  html: d.html ?? '',
  text: d.text ?? '',
  lists: d.lists.map((list) => list.documentId),
  audienceSegments: d.audienceSegments ?? [],
  trackOpens: d.trackOpens,
  trackLinks: d.trackLinks,
  linkTracking: d.linkTracking ?? {},
  sendRate: d.sendRate ?? undefined,
});

const orNull = (value: string) => (value.trim() ? value.trim() : null);

/** What the API receives: empty optional fields as null, per-link choices only for links that still exist. */
const toInput = (form: FormState, linkCount: number): DeliveryInput & { name: string; subject: string } => ({
  name: form.name.trim(),
  subject: form.subject,
  fromName: orNull(form.fromName),
  fromEmail: orNull(form.fromEmail),
  replyTo: orNull(form.replyTo),
  html: orNull(form.html),
  text: orNull(form.text),
  lists: form.lists,
  audienceSegments: form.audienceSegments,
  trackOpens: form.trackOpens,
  trackLinks: form.trackLinks,
  linkTracking: Object.fromEntries(
    Object.entries(form.linkTracking).filter(([position]) => Number(position) < linkCount),
  ),
  sendRate: form.sendRate ?? null,
});

const EditorForm = ({ initial }: { initial: Delivery | null }) => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { create, update, send, test } = useDeliveryMutations();
  const lists = useLists({ page: 1, pageSize: 500, sort: 'name:asc' });
  const sources = useAudienceSources();
  // The delivery as last saved: null until a new one is first saved (the form stays mounted meanwhile).
  const [delivery, setDelivery] = useState<Delivery | null>(initial);
  const [form, setForm] = useState<FormState>(initial ? fromDelivery(initial) : EMPTY);
  const [saved, setSaved] = useState<FormState | null>(initial ? fromDelivery(initial) : null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [testOpen, setTestOpen] = useState(false);
  const [sendOpen, setSendOpen] = useState(false);
  const [sendError, setSendError] = useState<string | undefined>();
  const editable = !delivery || isEditable(delivery.status);
  const links = useMemo(() => findLinks(form.html), [form.html]);
  const dirty = JSON.stringify(form) !== JSON.stringify(saved);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const fieldError = (name: string) => problem?.fields[name];

  const chosenLists = (lists.data?.data ?? []).filter((list) => form.lists.includes(list.documentId));
  const audienceSize =
    chosenLists.reduce((sum, list) => sum + list.subscribed, 0) + segmentsSize(sources.data, form.audienceSegments);

  /** Saves when needed; returns the delivery's documentId, or null when the API refused (problems shown by the fields). */
  const save = async (): Promise<string | null> => {
    if (!dirty && delivery) return delivery.documentId;
    setProblem(null);
    try {
      const input = toInput(form, links.length);
      const result = delivery
        ? await update.mutateAsync({ id: delivery.documentId, input })
        : await create.mutateAsync(input);
      setDelivery(result);
      setSaved(form);
      return result.documentId;
    } catch (error) {
      const found = apiProblemOf(error);
      setProblem(found);
      toggleNotification({ type: 'danger', message: found.message });
      return null;
    }
  };

  const onSave = async () => {
    const isNew = !delivery;
    const id = await save();
    if (!id) return;
    toggleNotification({ type: 'success', message: t('editor.saved', 'Saved') });
    if (isNew) navigate(paths.editDelivery(id), { replace: true });
  };

  const onTestSend = async (emails: string[]) => {
    const id = await save();
    if (!id)
      throw new Error(problem?.message ?? t('editor.test.saveFirst', 'Fix the problems shown in the form first.'));
    try {
      return await test.mutateAsync({ id, body: { emails } });
    } catch (error) {
      throw new Error(apiProblemOf(error).message);
    }
  };

  const onSendClick = async () => {
    setSendError(undefined);
    if (await save()) setSendOpen(true);
  };

  const onConfirmSend = async (scheduledAt: string | null) => {
    if (!delivery) return;
    setSendError(undefined);
    try {
      const result = await send.mutateAsync({ id: delivery.documentId, body: scheduledAt ? { scheduledAt } : {} });
      toggleNotification({
        type: 'success',
        message: result.meta.scheduledAt
          ? t('send.scheduled', 'Scheduled for {when}', { when: new Date(result.meta.scheduledAt).toLocaleString() })
          : t('send.started', 'Sending started'),
      });
      setSendOpen(false);
      navigate(paths.delivery(delivery.documentId));
    } catch (error) {
      const found = apiProblemOf(error);
      setProblem(found);
      setSendError(found.message);
    }
  };

  const toggleList = (documentId: string, checked: boolean) =>
    set('lists', checked ? [...form.lists, documentId] : form.lists.filter((id) => id !== documentId));

  return (
    <Page.Main>
      <Page.Title>{delivery ? delivery.name : t('editor.new', 'New delivery')}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback={delivery ? paths.delivery(delivery.documentId) : paths.home} />}
        title={
          delivery ? t('editor.editTitle', 'Edit "{name}"', { name: delivery.name }) : t('editor.new', 'New delivery')
        }
        subtitle={t(
          'editor.subtitle',
          'Write the message, choose who gets it, check the links, send a test, then send.',
        )}
        primaryAction={
          editable ? (
            <Flex gap={2}>
              <Button
                variant="secondary"
                startIcon={<Check />}
                onClick={onSave}
                loading={create.isLoading || update.isLoading}
                disabled={!dirty}
              >
                {t('editor.save', 'Save')}
              </Button>
              <Button startIcon={<PaperPlane />} onClick={onSendClick} disabled={!delivery && !form.name}>
                {t('editor.send', 'Send…')}
              </Button>
            </Flex>
          ) : undefined
        }
        secondaryAction={
          editable ? (
            <Button
              variant="tertiary"
              startIcon={<Mail />}
              onClick={() => setTestOpen(true)}
              disabled={!form.name || !form.subject}
            >
              {t('editor.test', 'Send a test')}
            </Button>
          ) : undefined
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          {!editable && (
            <Alert
              variant="warning"
              closeLabel={t('common.close', 'Close')}
              title={t('editor.readOnly.title', 'Not a draft')}
            >
              {t(
                'editor.readOnly',
                'This delivery is {status}: only drafts can be edited. Duplicate it from the list to send a new version.',
                { status: delivery?.status },
              )}
            </Alert>
          )}
          {problem && !Object.keys(problem.fields).length && (
            <Alert
              variant="danger"
              closeLabel={t('common.close', 'Close')}
              onClose={() => setProblem(null)}
              title={t('editor.problem', 'Not saved')}
            >
              {problem.message}
            </Alert>
          )}
          <Grid.Root gap={4}>
            <Grid.Item col={7} s={12} direction="column" alignItems="stretch" gap={4}>
              <Section title={t('editor.section.message', 'Message')}>
                <Field.Root name="name" error={fieldError('name')} required>
                  <Field.Label>{t('editor.name', 'Name')}</Field.Label>
                  <TextInput
                    value={form.name}
                    onChange={(e: any) => set('name', e.target.value)}
                    disabled={!editable}
                  />
                  <Field.Error />
                </Field.Root>
                <Field.Root
                  name="subject"
                  error={fieldError('subject')}
                  required
                  hint={t('editor.subject.hint', 'Variables work here too, e.g. Hello {{firstName}}')}
                >
                  <Field.Label>{t('editor.subject', 'Subject')}</Field.Label>
                  <TextInput
                    value={form.subject}
                    onChange={(e: any) => set('subject', e.target.value)}
                    disabled={!editable}
                  />
                  <Field.Error />
                  <Field.Hint />
                </Field.Root>
              </Section>

              <Section title={t('editor.section.sender', 'Sender')}>
                <Grid.Root gap={4}>
                  <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                    <Field.Root name="fromName" error={fieldError('fromName')} width="100%">
                      <Field.Label>{t('editor.fromName', 'From name')}</Field.Label>
                      <TextInput
                        value={form.fromName}
                        onChange={(e: any) => set('fromName', e.target.value)}
                        disabled={!editable}
                      />
                      <Field.Error />
                    </Field.Root>
                  </Grid.Item>
                  <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                    <Field.Root
                      name="fromEmail"
                      error={fieldError('fromEmail')}
                      width="100%"
                      hint={t('editor.fromEmail.hint', 'Empty: the default sender of the settings')}
                    >
                      <Field.Label>{t('editor.fromEmail', 'From email')}</Field.Label>
                      <TextInput
                        type="email"
                        value={form.fromEmail}
                        onChange={(e: any) => set('fromEmail', e.target.value)}
                        disabled={!editable}
                      />
                      <Field.Error />
                      <Field.Hint />
                    </Field.Root>
                  </Grid.Item>
                  <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                    <Field.Root name="replyTo" error={fieldError('replyTo')} width="100%">
                      <Field.Label>{t('editor.replyTo', 'Reply-to')}</Field.Label>
                      <TextInput
                        type="email"
                        value={form.replyTo}
                        onChange={(e: any) => set('replyTo', e.target.value)}
                        disabled={!editable}
                      />
                      <Field.Error />
                    </Field.Root>
                  </Grid.Item>
                  <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                    <Field.Root
                      name="sendRate"
                      error={fieldError('sendRate')}
                      width="100%"
                      hint={t('editor.sendRate.hint', 'Messages per second; empty: as fast as the transport allows')}
                    >
                      <Field.Label>{t('editor.sendRate', 'Send rate')}</Field.Label>
                      <NumberInput
                        value={form.sendRate}
                        onValueChange={(value) => set('sendRate', value)}
                        disabled={!editable}
                      />
                      <Field.Error />
                      <Field.Hint />
                    </Field.Root>
                  </Grid.Item>
                </Grid.Root>
              </Section>

              <Section title={t('editor.section.audience', 'Audience')}>
                {lists.isLoading ? (
                  <Typography textColor="neutral600">{t('common.loading', 'Loading…')}</Typography>
                ) : lists.isError ? (
                  <Typography textColor="danger600">{t('editor.lists.error', 'Could not load the lists.')}</Typography>
                ) : !lists.data?.data.length ? (
                  <Typography textColor="neutral600">
                    {t('editor.lists.empty', 'No lists yet: create one in the Lists tab and add contacts to it.')}
                  </Typography>
                ) : (
                  <Flex
                    direction="column"
                    alignItems="flex-start"
                    gap={2}
                    role="group"
                    aria-label={t('editor.lists', 'Lists')}
                  >
                    {lists.data.data.map((list) => (
                      <Checkbox
                        key={list.documentId}
                        checked={form.lists.includes(list.documentId)}
                        onCheckedChange={(checked) => toggleList(list.documentId, checked === true)}
                        disabled={!editable}
                      >
                        {t(
                          'editor.lists.item',
                          '{name} ({subscribed, plural, one {# subscribed contact} other {# subscribed contacts}})',
                          {
                            name: list.name,
                            subscribed: list.subscribed,
                          },
                        )}
                      </Checkbox>
                    ))}
                  </Flex>
                )}
                {fieldError('lists') && <Typography textColor="danger600">{fieldError('lists')}</Typography>}
                {Boolean(sources.data?.length) && (
                  <SourceSegmentsPicker
                    sources={sources.data ?? []}
                    value={form.audienceSegments}
                    onChange={(value) => set('audienceSegments', value)}
                    disabled={!editable}
                  />
                )}
                {fieldError('audienceSegments') && (
                  <Typography textColor="danger600">{fieldError('audienceSegments')}</Typography>
                )}
                <Typography variant="pi" textColor="neutral600" data-testid="audience-size">
                  {t('editor.audience.size', 'Audience: up to {count} subscribed contacts', {
                    count: formatNumber(audienceSize),
                  })}
                </Typography>
              </Section>

              <Section title={t('editor.section.content', 'Content')}>
                <Field.Root
                  name="html"
                  error={fieldError('html')}
                  hint={t('editor.html.hint', 'The message as HTML. Links are found and tracked when sending.')}
                >
                  <Field.Label>{t('editor.html', 'HTML')}</Field.Label>
                  <Textarea
                    value={form.html}
                    onChange={(e: any) => set('html', e.target.value)}
                    disabled={!editable}
                    style={{ fontFamily: 'monospace', fontSize: 13, minHeight: 280 }}
                  />
                  <Field.Error />
                  <Field.Hint />
                </Field.Root>
                <Field.Root
                  name="text"
                  error={fieldError('text')}
                  hint={t('editor.text.hint', 'Empty: derived from the HTML.')}
                >
                  <Field.Label>{t('editor.text', 'Text part')}</Field.Label>
                  <Textarea
                    value={form.text}
                    onChange={(e: any) => set('text', e.target.value)}
                    disabled={!editable}
                    style={{ fontFamily: 'monospace', fontSize: 13 }}
                  />
                  <Field.Error />
                  <Field.Hint />
                </Field.Root>
                <PersonalisationHelp />
              </Section>

              <TrackingSection
                trackOpens={form.trackOpens}
                trackLinks={form.trackLinks}
                linkTracking={form.linkTracking}
                links={links}
                onChange={(patch) => setForm((f) => ({ ...f, ...patch }))}
                disabled={!editable}
              />
            </Grid.Item>
            <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
              <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
                <HtmlPreview html={form.html} text={form.text} />
              </Box>
            </Grid.Item>
          </Grid.Root>
        </Flex>
      </Layouts.Content>
      <TestSendModal open={testOpen} onOpenChange={setTestOpen} onSend={onTestSend} />
      <SendDialog
        open={sendOpen}
        onOpenChange={setSendOpen}
        deliveryName={form.name}
        listNames={[...chosenLists.map((list) => list.name), ...segmentLabels(sources.data, form.audienceSegments)]}
        audienceSize={audienceSize}
        scheduledAt={delivery?.scheduledAt ?? null}
        onConfirm={onConfirmSend}
        error={sendError}
      />
    </Page.Main>
  );
};

export const DeliveryEditorPage = () => {
  const { id } = useParams<{ id: string }>();
  const { data, isLoading, isError } = useDelivery(id);

  let content: React.ReactNode;
  if (!id) content = <EditorForm key="new" initial={null} />;
  else if (isLoading) content = <Page.Loading />;
  else if (isError || !data) content = <Page.Error />;
  else content = <EditorForm key={data.documentId} initial={data} />;

  return <Page.Protect permissions={PERMISSIONS.send}>{content}</Page.Protect>;
};
