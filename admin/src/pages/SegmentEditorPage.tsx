// An engagement segment being written: its name and conditions on the left, who they select now on the right (the
// size a delivery to it would have, and its first members), counted as the conditions are typed.
import { useMemo } from 'react';
import { Box, Button, Flex, Grid, Loader, Typography } from '@strapi/design-system';
import { Check, Plus } from '@strapi/icons';
import { BackButton, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useNavigate, useParams } from 'react-router-dom';
import { segmentInputSchema, segmentRulesSchema, type SegmentInput } from '../../../shared/segments';
import { useSegment, useSegmentMutations } from '../api/segments';
import { CheckboxField, RadioField, TextField } from '../components/form/fields';
import { problemsByPath, useSchemaForm } from '../components/form/useSchemaForm';
import { ConditionFields, newCondition } from '../components/segments/ConditionFields';
import { SegmentSizePanel } from '../components/segments/SegmentSizePanel';
import { useCampaignsPermissions } from '../hooks/useCampaignsPermissions';
import { useDebounced } from '../hooks/useDebounced';
import { useT } from '../hooks/useT';
import { apiProblemOf } from '../utils/errors';
import { paths } from '../utils/paths';

const NEW_SEGMENT: SegmentInput = {
  name: '',
  rules: { match: 'all', conditions: [newCondition('opened')], includeMachine: false },
};

export const SegmentEditorPage = () => {
  const t = useT();
  const navigate = useNavigate();
  const { id } = useParams<{ id: string }>();
  const isNew = id === 'new';
  const { toggleNotification } = useNotification();
  const { canSend } = useCampaignsPermissions();
  const { data: segment, isLoading, isError } = useSegment(isNew ? null : id);
  const { save } = useSegmentMutations();
  const initial = useMemo(() => (segment ? { name: segment.name, rules: segment.rules } : NEW_SEGMENT), [segment]);
  const form = useSchemaForm<SegmentInput>(segmentInputSchema, initial);
  const fields = { ...form, disabled: !canSend };
  const { rules } = form.values;
  const settled = useDebounced(rules, 400);
  const complete = !Object.keys(problemsByPath(segmentRulesSchema, settled)).length;

  if (!isNew && isLoading)
    return (
      <Page.Main>
        <Flex justifyContent="center" padding={8}>
          <Loader>{t('segments.loading', 'Loading the segment')}</Loader>
        </Flex>
      </Page.Main>
    );
  if (!isNew && (isError || !segment)) return <Page.Error />;

  const submit = () =>
    save.mutate(
      { id: isNew ? undefined : id, input: form.values },
      {
        onSuccess: (saved) => {
          toggleNotification({ type: 'success', message: t('segments.saved', 'Segment saved') });
          if (isNew) navigate(paths.segment(saved.documentId), { replace: true });
        },
        onError: (error) => {
          const problem = apiProblemOf(error);
          form.setServerErrors(problem.fields);
          toggleNotification({ type: 'danger', message: problem.message });
        },
      },
    );
  const setConditions = (conditions: SegmentInput['rules']['conditions']) => form.set('rules.conditions', conditions);

  return (
    <Page.Main>
      <Page.Title>{form.values.name || t('segments.new', 'New segment')}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback={`${paths.home}?tab=segments`} />}
        title={form.values.name || t('segments.new', 'New segment')}
        subtitle={t(
          'segments.subtitle',
          'Contacts chosen by what they did with your deliveries. People only: machine opens and link scanners are left out unless you count them.',
        )}
        primaryAction={
          canSend ? (
            <Button
              startIcon={<Check />}
              onClick={submit}
              loading={save.isLoading}
              disabled={!form.valid || (!isNew && !form.dirty)}
            >
              {t('segments.save', 'Save segment')}
            </Button>
          ) : undefined
        }
      />
      <Layouts.Content>
        <Grid.Root gap={6}>
          <Grid.Item col={7} s={12} direction="column" alignItems="stretch">
            <Box background="neutral0" padding={6} shadow="tableShadow" hasRadius>
              <Flex direction="column" alignItems="stretch" gap={4}>
                <Grid.Root gap={4}>
                  <TextField form={fields} path="name" label={t('segments.field.name', 'Name')} col={12} required />
                  <RadioField
                    form={fields}
                    path="rules.match"
                    label={t('segments.field.match', 'Contacts who match')}
                    options={[
                      { value: 'all', label: t('segments.match.all', 'every condition') },
                      { value: 'any', label: t('segments.match.any', 'at least one condition') },
                    ]}
                  />
                </Grid.Root>
                {rules.conditions.map((condition, index) => (
                  <ConditionFields
                    key={index}
                    form={fields}
                    index={index}
                    condition={condition}
                    onRemove={
                      canSend && rules.conditions.length > 1
                        ? () => setConditions(rules.conditions.filter((_, at) => at !== index))
                        : undefined
                    }
                  />
                ))}
                {canSend && rules.conditions.length < 20 && (
                  <Box>
                    <Button
                      variant="secondary"
                      startIcon={<Plus />}
                      onClick={() => setConditions([...rules.conditions, newCondition('list')])}
                    >
                      {t('segments.condition.add', 'Add a condition')}
                    </Button>
                  </Box>
                )}
                <CheckboxField
                  form={fields}
                  path="rules.includeMachine"
                  label={t(
                    'segments.field.includeMachine',
                    'Count machine opens and link scanners as reactions (Apple Mail Privacy Protection, security scanners)',
                  )}
                />
              </Flex>
            </Box>
          </Grid.Item>
          <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
            <Box background="neutral0" padding={6} shadow="tableShadow" hasRadius>
              <Typography variant="delta" tag="h2">
                {t('segments.now', 'Who it selects now')}
              </Typography>
              <Box paddingTop={3}>
                <SegmentSizePanel rules={complete ? settled : null} />
              </Box>
            </Box>
          </Grid.Item>
        </Grid.Root>
      </Layouts.Content>
    </Page.Main>
  );
};
