// The sign-up form snippet: the admin picks public lists and fields, and copies plain HTML to paste in any page
// (shared/signup-form.ts writes it). Not a setting: nothing here is saved.
import { useMemo } from 'react';
import { Box, Button, Field, Flex, Grid, Textarea, Typography } from '@strapi/design-system';
import { Duplicate } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { SIGNUP_FORM_LANGUAGES, signupFormHtml, signupFormOptions } from '../../../../shared/signup-form';
import { useLists } from '../../api/client';
import { useT } from '../../hooks/useT';
import { Section } from '../Section';
import { CheckboxField, SelectField, TextField } from '../form/fields';
import { useSchemaForm } from '../form/useSchemaForm';

const LANGUAGE_NAMES: Record<(typeof SIGNUP_FORM_LANGUAGES)[number], string> = {
  en: 'English',
  fr: 'Français',
  de: 'Deutsch',
  es: 'Español',
};

/** `publicUrl`: where people reach this Strapi (the settings' publicUrl); empty: this admin's own origin. */
export const SignupFormSection = ({ publicUrl, attributes }: { publicUrl: string; attributes: string[] }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { data, isLoading } = useLists({ page: 1, pageSize: 500, sort: 'name:asc' });
  const lists = useMemo(() => (data?.data ?? []).filter((list) => list.public), [data]);
  // Primitives only in the memo's inputs: a new `initial` would reset what the admin picked.
  const consentText = t('signup.consentDefault', 'I agree to receive these emails. I can unsubscribe at any time.');
  const source = t('signup.sourceDefault', 'Sign-up form');
  const button = t('signup.buttonDefault', 'Subscribe');
  const attributeKeys = attributes.join(',');
  const initial = useMemo(
    () => ({
      lists: Object.fromEntries(lists.map((list) => [list.documentId, false])),
      firstName: true,
      lastName: false,
      attributes: Object.fromEntries(
        attributeKeys
          .split(',')
          .filter(Boolean)
          .map((key) => [key, false]),
      ),
      language: 'en' as const,
      consentText,
      source,
      button,
    }),
    [lists, attributeKeys, consentText, source, button],
  );
  const form = useSchemaForm(signupFormOptions, initial);
  const base = (publicUrl || window.location.origin).replace(/\/+$/, '');
  const html = form.valid ? signupFormHtml(form.values, `${base}/api/campaigns/subscribe`, lists) : '';

  const copy = () =>
    navigator.clipboard
      .writeText(html)
      .then(() => toggleNotification({ type: 'success', message: t('signup.copied', 'Form copied') }))
      .catch(() =>
        toggleNotification({ type: 'warning', message: t('signup.copyFailed', 'Select the HTML and copy it') }),
      );

  return (
    <Section
      title={t('signup.title', 'Sign-up form')}
      description={t(
        'signup.description',
        'A plain HTML form for any web page, posting to this Strapi; no script, no CORS. People who sign up to a double opt-in list get an email to confirm.',
      )}
    >
      {!isLoading && !lists.length ? (
        <Typography textColor="neutral600">
          {t('signup.noPublicList', 'No list is offered on sign-up forms yet: turn it on in a list of the Lists tab.')}
        </Typography>
      ) : (
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Box>
            <Typography variant="sigma" textColor="neutral600">
              {t('signup.lists', 'Lists')}
            </Typography>
            <Flex direction="column" alignItems="flex-start" gap={2} paddingTop={2}>
              {lists.map((list) => (
                <CheckboxField key={list.documentId} form={form} path={`lists.${list.documentId}`} label={list.name} />
              ))}
              {form.errors.lists && (
                <Typography variant="pi" textColor="danger600">
                  {form.errors.lists}
                </Typography>
              )}
            </Flex>
          </Box>
          <Box>
            <Typography variant="sigma" textColor="neutral600">
              {t('signup.fields', 'Fields')}
            </Typography>
            <Flex gap={4} paddingTop={2} wrap="wrap">
              <CheckboxField form={form} path="firstName" label={t('signup.firstName', 'First name')} />
              <CheckboxField form={form} path="lastName" label={t('signup.lastName', 'Last name')} />
              {attributes.map((key) => (
                <CheckboxField key={key} form={form} path={`attributes.${key}`} label={key} />
              ))}
            </Flex>
          </Box>
          <Grid.Root gap={4}>
            <SelectField
              form={form}
              path="language"
              label={t('signup.language', 'Language of the form, pages and emails')}
              options={SIGNUP_FORM_LANGUAGES.map((value) => ({ value, label: LANGUAGE_NAMES[value] }))}
            />
            <TextField form={form} path="source" label={t('signup.source', 'Form name (kept as the source)')} />
            <TextField form={form} path="button" label={t('signup.button', 'Button')} />
            <TextField
              form={form}
              path="consentText"
              col={12}
              multiline
              label={t('signup.consent', 'What people agree to (kept as their proof of consent)')}
            />
          </Grid.Root>
          <Field.Root name="signup-html" width="100%">
            <Field.Label>{t('signup.html', 'HTML to paste in your page')}</Field.Label>
            <Textarea
              value={html}
              readOnly
              data-testid="signup-form-html"
              style={{ fontFamily: 'monospace', fontSize: 13, minHeight: 220 }}
            />
          </Field.Root>
          <Flex justifyContent="flex-end">
            <Button startIcon={<Duplicate />} variant="secondary" onClick={copy} disabled={!html}>
              {t('signup.copy', 'Copy the HTML')}
            </Button>
          </Flex>
        </Flex>
      )}
    </Section>
  );
};
