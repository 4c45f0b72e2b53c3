// Test sends: the message as recipients get it, to the addresses an editor gives (their own by default), personalised
// as the preview is (sending/sample-recipient.ts); subject prefixed "[Test]", links through the tracking route with
// tokens that record nothing. Not logged, not counted.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { TestSendInput, TestSendResult } from '../../../shared/contracts/deliveries';
import { emailProblem } from '../platform/email-address';
import { getService } from '../platform/get-service';
import type { ComposableDelivery } from './composer';
import { SAMPLE_CONTACT, sampleRecipient } from './sample-recipient';

export const sendTest = async (
  strapi: Core.Strapi,
  delivery: ComposableDelivery & { name: string; lists?: Array<{ id: number }> },
  input: TestSendInput & { emails: string[] },
): Promise<TestSendResult> => {
  const composer = getService(strapi, 'composer');
  const invalid = input.emails.map((email) => email.toLowerCase()).filter((email) => emailProblem(email));
  if (invalid.length) throw new errors.ValidationError(`Invalid test address(es): ${invalid.join(', ')}.`);

  const contact = await sampleRecipient(strapi, {
    contact: input.contact,
    listIds: (delivery.lists ?? []).map((list) => Number(list.id)),
  });

  let template;
  try {
    template = await composer.testTemplate(delivery);
  } catch (error) {
    throw new errors.ValidationError(`Cannot send a test of delivery "${delivery.name}": ${(error as Error).message}.`);
  }
  const config = await getService(strapi, 'settings').get();
  const publicUrl = await composer.publicUrl();
  const messenger = await getService(strapi, 'messenger').get();
  const result: TestSendResult = { sent: [], failed: [] };
  const variableNames = composer.variablesUsedBy(template);
  for (const email of input.emails) {
    const messageId = composer.messageIdFor(template, 'test');
    // The sample stands for whoever receives the test; a real contact keeps its own address in the message.
    const recipient = contact === SAMPLE_CONTACT ? { ...SAMPLE_CONTACT, email } : contact;
    const [computed] = await getService(strapi, 'template-variables').valuesFor(variableNames, [
      {
        contact: { ...recipient, id: (recipient as { id?: number }).id ?? null },
        delivery: { id: delivery.id, documentId: delivery.documentId },
        test: true,
      },
    ]);
    if ('error' in computed) {
      result.failed.push({ email, error: computed.error });
      continue;
    }
    const message = composer.render(
      template,
      { logId: 0, contact: recipient, messageId, variables: computed.values },
      {
        publicUrl,
        mailto: config.listUnsubscribeMailto || undefined,
        test: true,
      },
    );
    try {
      await messenger.send({ ...message, to: email });
      result.sent.push({ email, messageId });
    } catch (error) {
      result.failed.push({ email, error: (error as Error).message });
    }
  }
  return result;
};
