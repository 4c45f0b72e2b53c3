// The delivery editor: message, sender, audience, links and their tracking, a live preview, a test send and the send
// itself (now or scheduled) after a confirmation that states the audience size.
// The delivery editor: message (in blocks or raw HTML), sender, audience, links and their tracking, a live preview,
// a test send and the send itself (now or scheduled) after a confirmation that states the audience size. Drafts save
// themselves while the editor works, and leaving with unsaved changes asks first.
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Alert, Box, Button, Flex, Grid, Typography } from '@strapi/design-system';
import { Check, Layout as LayoutIcon, Mail, PaperPlane } from '@strapi/icons';
import { BackButton, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useNavigate, useParams } from 'react-router-dom';
import { allBlocks, type BlockDocument } from '../../../shared/blocks';
import type { Delivery } from '../../../shared/contracts/deliveries';
import { useDelivery, useDeliveryMutations, useLists } from '../api/client';
import { useAudienceSources } from '../api/extensions';
import { useLayout, useLayoutMutations, useLayouts, usePreview } from '../api/layouts';
import { useSegmentAudience } from '../api/segments';
import { blockLabel } from '../components/blocks/block-defaults';
import { AudienceSection } from '../components/delivery-editor/AudienceSection';
import { BlocksPreview } from '../components/delivery-editor/BlocksPreview';
import { ContentSection } from '../components/delivery-editor/ContentSection';
import {
  contentOf,
  EMPTY,
  fromDelivery,
  toInput,
  problemsByBlock,
  sendChecks,
  useEditorFields,
  type FormState,
} from '../components/delivery-editor/form';
import { LeaveGuard } from '../components/delivery-editor/LeaveGuard';
import { SenderSection } from '../components/delivery-editor/SenderSection';
import { AbTestSection } from '../components/delivery-editor/AbTestSection';
import { MessageSection } from '../components/delivery-editor/MessageSection';
import { HtmlPreview } from '../components/editor/HtmlPreview';
import { SendDialog } from '../components/editor/SendDialog';
import { segmentLabels, segmentsSize } from '../components/editor/SourceSegmentsPicker';
import { TestSendModal } from '../components/editor/TestSendModal';
import { NameDialog } from '../components/NameDialog';
import { PERMISSIONS } from '../permissions';
import { useDebounced } from '../hooks/useDebounced';
import { historyReducer, initialHistory } from '../utils/history';
import { apiProblemOf, type ApiProblem } from '../utils/errors';
import { findLinks } from '../utils/links';
import { paths } from '../utils/paths';
import { isEditable } from '../../../shared/lifecycle';
import { useT } from '../hooks/useT';
import { TrackingSection } from '../components/editor/TrackingSection';

/** How long after the last change a draft saves itself. */
const AUTOSAVE_MS = 2000;

type SaveState = 'saved' | 'saving' | 'unsaved' | { error: string };

const EditorForm = ({ initial }: { initial: Delivery | null }) => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { create, update, send, test } = useDeliveryMutations();
  const { saveAsLayout } = useLayoutMutations();
  const lists = useLists({ page: 1, pageSize: 500, sort: 'name:asc' });
  const sources = useAudienceSources();
  const layouts = useLayouts();
  // The delivery as last saved: null until a new one is first saved (the form stays mounted meanwhile).
  const [delivery, setDelivery] = useState<Delivery | null>(initial);
  const [form, setForm] = useState<FormState>(initial ? fromDelivery(initial) : EMPTY);
  const [history, dispatch] = useReducer(historyReducer<BlockDocument>, contentOf(initial), initialHistory);
  const content = history.present;
  const [saved, setSaved] = useState<string | null>(
    initial ? JSON.stringify([fromDelivery(initial), contentOf(initial)]) : null,
  );
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [testOpen, setTestOpen] = useState(false);
  const [sendOpen, setSendOpen] = useState(false);
  const [layoutOpen, setLayoutOpen] = useState(false);
  const [sendError, setSendError] = useState<string | undefined>();
  const editable = !delivery || isEditable(delivery.status);
  const blocksMode = form.contentMode === 'blocks';
  const current = JSON.stringify([form, content]);
  const dirty = current !== saved;
  const setContent = (value: BlockDocument, path?: string) =>
    dispatch({ type: 'set', value, key: path, at: Date.now() });

  const request = useDebounced(
    blocksMode
      ? { contentMode: 'blocks' as const, content, layout: form.layout, subject: form.subject, lists: form.lists }
      : null,
    400,
  );
  const preview = usePreview(request);
  const links = useMemo(
    () => findLinks(blocksMode ? preview.data?.html : form.html),
    [blocksMode, preview.data?.html, form.html],
  );
  const fields = useEditorFields(form, setForm, content, links.length, problem, editable);
  const problems = useMemo(() => problemsByBlock(preview.data), [preview.data]);
  const blockName = (blockId: string | null) => {
    const block = blockId ? allBlocks(content.blocks).find((b) => b.id === blockId) : null;
    return block ? blockLabel(block.type, t) : null;
  };
  const layoutDetail = useLayout(form.layout ?? layouts.data?.[0]?.documentId);

  const chosenLists = (lists.data?.data ?? []).filter((list) => form.lists.includes(list.documentId));
  const segmentAudience = useSegmentAudience(form.segment);
  const audienceSize = form.segment
    ? (segmentAudience.recipients ?? 0)
    : chosenLists.reduce((sum, list) => sum + list.subscribed, 0) + segmentsSize(sources.data, form.audienceSegments);

  const saving = useRef(false);
  const navigatingAfterSave = useRef(false);
  /** Saves when needed; returns the delivery's documentId, or null when the API refused (problems shown by the fields). */
  const save = async (): Promise<string | null> => {
    if (!dirty && delivery) return delivery.documentId;
    saving.current = true;
    setSaveState('saving');
    setProblem(null);
    fields.clear();
    const snapshot = current;
    try {
      const input = toInput(form, content, links.length);
      const result = delivery
        ? await update.mutateAsync({ id: delivery.documentId, input })
        : await create.mutateAsync(input);
      setDelivery(result);
      setSaved(snapshot);
      setSaveState('saved');
      return result.documentId;
    } catch (error) {
      const found = apiProblemOf(error);
      setProblem(found);
      setSaveState({ error: found.message });
      return null;
    } finally {
      saving.current = false;
    }
  };

  // A draft saves itself a moment after the last change (a new one once it has been saved by hand).
  useEffect(() => {
    if (!dirty || !delivery || !editable) return;
    setSaveState((state) => (state === 'saving' ? state : 'unsaved'));
    const timer = setTimeout(() => {
      if (!saving.current) void save();
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
    // save() reads the latest form and content; the timer restarts on every change of them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current, delivery, editable]);

  const onSave = async () => {
    const isNew = !delivery;
    const id = await save();
    if (!id) {
      toggleNotification({ type: 'danger', message: problem?.message ?? t('editor.problem', 'Not saved') });
      return;
    }
    toggleNotification({ type: 'success', message: t('editor.saved', 'Saved') });
    if (!isNew) return;
    navigatingAfterSave.current = true;
    navigate(paths.editDelivery(id), { replace: true });
  };

  const onTestSend = async (emails: string[]) => {
    const id = await save();
    if (!id)
      throw new Error(problem?.message ?? t('editor.test.saveFirst', 'Fix the problems shown in the form first.'));
    try {
      return await test.mutateAsync({ id, body: emails.length ? { emails } : {} });
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
      navigatingAfterSave.current = true;
      navigate(paths.delivery(delivery.documentId));
    } catch (error) {
      const found = apiProblemOf(error);
      setProblem(found);
      setSendError(found.message);
    }
  };

  const onSaveAsLayout = async (name: string) => {
    const id = await save();
    if (!id) throw new Error(problem?.message ?? t('editor.problem', 'Not saved'));
    const layout = await saveAsLayout.mutateAsync({ id, name });
    toggleNotification({
      type: 'success',
      message: t('editor.layout.saved', 'Layout "{name}" saved', { name: layout.name }),
    });
  };

  const saveStatus =
    typeof saveState === 'object'
      ? t('editor.autosave.error', 'Could not save: {reason}', { reason: saveState.error })
      : saveState === 'saving'
        ? t('editor.autosave.saving', 'Saving…')
        : dirty
          ? t('editor.autosave.unsaved', 'Unsaved changes')
          : delivery
            ? t('editor.autosave.saved', 'Saved')
            : '';
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
              <Typography
                variant="pi"
                textColor={typeof saveState === 'object' ? 'danger600' : 'neutral600'}
                role="status"
                data-testid="save-state"
              >
                {saveStatus}
              </Typography>
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
            <Flex gap={2}>
              <Button
                variant="tertiary"
                startIcon={<Mail />}
                onClick={() => setTestOpen(true)}
                disabled={!form.name || !form.subject}
              >
                {t('editor.test', 'Send a test')}
              </Button>
              {blocksMode && (
                <Button
                  variant="tertiary"
                  startIcon={<LayoutIcon />}
                  onClick={() => setLayoutOpen(true)}
                  disabled={!form.name || !form.subject}
                >
                  {t('editor.saveAsLayout', 'Save as layout')}
                </Button>
              )}
            </Flex>
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
              <MessageSection fields={fields} />
              <AbTestSection fields={fields} abTest={form.abTest} />
              <SenderSection fields={fields} />
              <AudienceSection
                form={form}
                fields={fields}
                lists={lists}
                sources={sources}
                audienceSize={audienceSize}
                followUpOf={delivery?.parentDeliveryId ? delivery.documentId : null}
              />
              <ContentSection
                form={form}
                fields={fields}
                content={content}
                setContent={setContent}
                problems={problems}
                history={{
                  undo: () => dispatch({ type: 'undo' }),
                  redo: () => dispatch({ type: 'redo' }),
                  canUndo: history.past.length > 0,
                  canRedo: history.future.length > 0,
                }}
              />

              <TrackingSection fields={fields} links={links} />
            </Grid.Item>
            <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
              <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
                {blocksMode ? (
                  <BlocksPreview
                    preview={preview}
                    width={layoutDetail.data?.style.width ?? 600}
                    blockName={blockName}
                  />
                ) : (
                  <HtmlPreview html={form.html} text={form.text} />
                )}
              </Box>
            </Grid.Item>
          </Grid.Root>
        </Flex>
      </Layouts.Content>
      <TestSendModal open={testOpen} onOpenChange={setTestOpen} onSend={onTestSend} />
      <NameDialog
        open={layoutOpen}
        title={t('editor.saveAsLayout.title', 'Save this look and these blocks as a layout')}
        label={t('editor.saveAsLayout.name', 'Layout name')}
        initialName={form.name}
        submitLabel={t('editor.saveAsLayout.submit', 'Save layout')}
        onClose={() => setLayoutOpen(false)}
        onSubmit={onSaveAsLayout}
      />
      <LeaveGuard dirty={dirty && editable} saved={navigatingAfterSave} />
      <SendDialog
        open={sendOpen}
        onOpenChange={setSendOpen}
        deliveryName={form.name}
        listNames={
          form.segment
            ? [segmentAudience.name ?? '']
            : [...chosenLists.map((list) => list.name), ...segmentLabels(sources.data, form.audienceSegments)]
        }
        audienceSize={audienceSize}
        scheduledAt={delivery?.scheduledAt ?? null}
        onConfirm={onConfirmSend}
        error={sendError}
        checks={blocksMode ? sendChecks(preview.data) : undefined}
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
