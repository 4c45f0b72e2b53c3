// Leaving the editor with unsaved changes asks first: another page of the admin (react-router's blocker) or closing
// the tab (the browser's own question).
import { useEffect } from 'react';
import { Button, Dialog } from '@strapi/design-system';
import { useBlocker } from 'react-router-dom';
import { useT } from '../../hooks/useT';

interface Props {
  dirty: boolean;
  /** Set just before the editor navigates itself after a save (its state has not caught up yet). */
  saved: React.MutableRefObject<boolean>;
}

export const LeaveGuard = ({ dirty, saved }: Props) => {
  const t = useT();
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !saved.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);
  return (
    <Dialog.Root open={blocker.state === 'blocked'} onOpenChange={(open) => !open && blocker.reset?.()}>
      <Dialog.Content>
        <Dialog.Header>{t('editor.leave.title', 'Leave without saving?')}</Dialog.Header>
        <Dialog.Body>{t('editor.leave.body', 'The changes made since the last save will be lost.')}</Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button variant="tertiary" onClick={() => blocker.reset?.()}>
              {t('editor.leave.stay', 'Stay and keep editing')}
            </Button>
          </Dialog.Cancel>
          <Dialog.Action>
            <Button variant="danger-light" onClick={() => blocker.proceed?.()}>
              {t('editor.leave.go', 'Leave without saving')}
            </Button>
          </Dialog.Action>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
