// A saved report's email schedule: how often, at what hour (the server's time), to whom; "Send now" to try it; and
// the history of its sends. The rule is shared/report-schedule.ts, as on the server.
import { useMemo, useState } from 'react';
import {
  Box,
  Button,
  Flex,
  Grid,
  Loader,
  Modal,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import {
  MAX_REPORT_RECIPIENTS,
  REPORT_FREQUENCIES,
  reportScheduleInput,
  type ReportScheduleInput,
} from '../../../../shared/report-schedule';
import type { ReportSchedule } from '../../../../shared/contracts/reports';
import { useReportSchedule } from '../../api/reports';
import { apiProblemOf } from '../../utils/errors';
import { formatDateTime } from '../../utils/format';
import { useT } from '../../hooks/useT';
import { ListField, NumberField, SelectField } from '../form/fields';
import { useSchemaForm } from '../form/useSchemaForm';

interface Props {
  reportId: string;
  reportName: string;
  onClose: () => void;
}

export const ScheduleDialog = ({ reportId, reportName, onClose }: Props) => {
  const t = useT();
  const { schedule } = useReportSchedule(reportId);
  return (
    <Modal.Root open onOpenChange={(next) => !next && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('reports.schedule.title', 'Email "{name}"', { name: reportName })}</Modal.Title>
        </Modal.Header>
        {schedule.isLoading ? (
          <Modal.Body>
            <Flex justifyContent="center" padding={6}>
              <Loader small>{t('common.loading', 'Loading…')}</Loader>
            </Flex>
          </Modal.Body>
        ) : schedule.isError ? (
          <Modal.Body>
            <Typography textColor="danger600">{apiProblemOf(schedule.error).message}</Typography>
          </Modal.Body>
        ) : (
          <ScheduleForm reportId={reportId} current={schedule.data ?? null} onClose={onClose} />
        )}
      </Modal.Content>
    </Modal.Root>
  );
};

const ScheduleForm = ({
  reportId,
  current,
  onClose,
}: { reportId: string; current: ReportSchedule | null } & Pick<Props, 'onClose'>) => {
  const t = useT();
  const { save, sendNow, remove } = useReportSchedule(reportId);
  const initial = useMemo<ReportScheduleInput>(
    () =>
      current
        ? {
            frequency: current.frequency,
            hour: current.hour,
            weekday: current.weekday ?? 1,
            dayOfMonth: current.dayOfMonth ?? 1,
            recipients: current.recipients,
          }
        : { frequency: 'weekly', hour: 8, weekday: 1, dayOfMonth: 1, recipients: [] },
    [current],
  );
  const form = useSchemaForm(reportScheduleInput, initial);
  const [problem, setProblem] = useState<string | null>(null);
  const frequency = form.values.frequency;

  const submit = async () => {
    if (!form.valid) return;
    setProblem(null);
    try {
      await save.mutateAsync(form.values);
    } catch (error) {
      const answer = apiProblemOf(error);
      form.setServerErrors(answer.fields);
      setProblem(answer.message);
    }
  };
  const run = async (action: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem(apiProblemOf(error).message);
    }
  };

  const weekdays = [0, 1, 2, 3, 4, 5, 6].map((day) => ({
    value: day,
    label: new Date(2026, 10, 1 + day).toLocaleDateString(undefined, { weekday: 'long' }),
  }));
  return (
    <>
      <Modal.Body>
        <form
          id="campaigns-schedule-dialog"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Grid.Root gap={4}>
            <SelectField
              form={form}
              path="frequency"
              label={t('reports.schedule.frequency', 'Every')}
              col={4}
              options={REPORT_FREQUENCIES.map((value) => ({
                value,
                label: t(`reports.schedule.${value}`, { daily: 'Day', weekly: 'Week', monthly: 'Month' }[value]),
              }))}
            />
            {frequency === 'weekly' && (
              <SelectField
                form={form}
                path="weekday"
                label={t('reports.schedule.weekday', 'On')}
                col={4}
                options={weekdays}
              />
            )}
            {frequency === 'monthly' && (
              <NumberField
                form={form}
                path="dayOfMonth"
                label={t('reports.schedule.dayOfMonth', 'On day (1 to 28)')}
                col={4}
              />
            )}
            <NumberField form={form} path="hour" label={t('reports.schedule.hour', 'At hour (server time)')} col={4} />
            <ListField
              form={form}
              path="recipients"
              label={t('reports.schedule.recipients', 'Recipients')}
              hint={t('reports.schedule.recipientsHint', 'Email addresses, separated by commas (at most {max})', {
                max: MAX_REPORT_RECIPIENTS,
              })}
              col={12}
              required
            />
          </Grid.Root>
        </form>
        {problem && (
          <Typography textColor="danger600" tag="p">
            {problem}
          </Typography>
        )}
        <Box paddingTop={4}>
          {current ? (
            <Typography variant="pi" textColor="neutral600" tag="p" data-testid="schedule-next">
              {t('reports.schedule.next', 'Next email: {at}', { at: formatDateTime(current.nextSendAt) })}
            </Typography>
          ) : (
            <Typography variant="pi" textColor="neutral600" tag="p">
              {t('reports.schedule.none', 'This report is not emailed yet.')}
            </Typography>
          )}
          {current && current.history.length > 0 && (
            <Table colCount={3} rowCount={current.history.length + 1}>
              <Thead>
                <Tr>
                  <Th>
                    <Typography variant="sigma">{t('reports.schedule.sentAt', 'Sent')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('reports.schedule.recipientsSent', 'Recipients')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('reports.schedule.problem', 'Problem')}</Typography>
                  </Th>
                </Tr>
              </Thead>
              <Tbody>
                {current.history.map((send) => (
                  <Tr key={send.at}>
                    <Td>
                      <Typography>{formatDateTime(send.at)}</Typography>
                    </Td>
                    <Td>
                      <Typography>
                        {t('reports.schedule.sentCount', '{sent} sent, {failed} failed', {
                          sent: send.sent,
                          failed: send.failed,
                        })}
                      </Typography>
                    </Td>
                    <Td>
                      <Typography textColor={send.error ? 'danger600' : 'neutral600'}>{send.error ?? '–'}</Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )}
        </Box>
      </Modal.Body>
      <Modal.Footer>
        <Flex gap={2}>
          <Button variant="tertiary" onClick={onClose}>
            {t('common.close', 'Close')}
          </Button>
          {current && (
            <Button variant="danger-light" onClick={() => run(() => remove.mutateAsync())} loading={remove.isLoading}>
              {t('reports.schedule.remove', 'Stop emailing')}
            </Button>
          )}
        </Flex>
        <Flex gap={2}>
          {current && (
            <Button variant="secondary" onClick={() => run(() => sendNow.mutateAsync())} loading={sendNow.isLoading}>
              {t('reports.schedule.sendNow', 'Send now')}
            </Button>
          )}
          <Button type="submit" form="campaigns-schedule-dialog" loading={save.isLoading} disabled={!form.valid}>
            {t('reports.schedule.save', 'Save schedule')}
          </Button>
        </Flex>
      </Modal.Footer>
    </>
  );
};
