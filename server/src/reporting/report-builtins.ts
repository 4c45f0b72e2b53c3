// The built-in reports: saved definitions every install starts with, found again by their stable key.
import type { ReportDefinition } from '../../../shared/contracts/reports';

export interface BuiltInReport {
  key: string;
  name: string;
  description: string;
  definition: ReportDefinition;
}

export const BUILT_IN_REPORTS: readonly BuiltInReport[] = [
  {
    key: 'delivery-summary',
    name: 'Delivery summary',
    description: 'Every delivery with its audience, deliverability and engagement.',
    definition: {
      visualisation: 'table',
      query: {
        dimensions: ['delivery'],
        metrics: [
          'targeted',
          'processed',
          'delivered',
          'bounces',
          'uniqueOpens',
          'uniqueClicks',
          'openRate',
          'clickThroughRate',
          'unsubscriptionRate',
        ],
      },
    },
  },
  {
    key: 'tracking-indicators',
    name: 'Tracking indicators',
    description: 'Opens, clicks and their rates over the last 30 days.',
    definition: {
      visualisation: 'kpi',
      query: {
        dimensions: [],
        metrics: [
          'delivered',
          'uniqueOpens',
          'opens',
          'uniqueClicks',
          'clicks',
          'openRate',
          'clickThroughRate',
          'reactivity',
        ],
        period: { lastDays: 30 },
      },
    },
  },
  {
    key: 'engagement-over-time',
    name: 'Engagement over time',
    description: 'Opens and clicks per day over the last 30 days.',
    definition: {
      visualisation: 'line',
      query: {
        dimensions: ['day'],
        metrics: ['opens', 'clicks', 'uniqueOpens', 'uniqueClicks'],
        period: { lastDays: 30 },
      },
    },
  },
  {
    key: 'urls-and-click-streams',
    name: 'URLs and click streams',
    description: 'The most clicked links, total and unique clicks.',
    definition: {
      visualisation: 'bar',
      query: { dimensions: ['link'], metrics: ['clicks', 'uniqueClicks'], sort: '-clicks', limit: 50 },
    },
  },
  {
    key: 'devices-and-clients',
    name: 'Devices and email clients',
    description: 'Who opened, on which device and in which email client.',
    definition: {
      visualisation: 'stackedBar',
      columns: ['device'],
      query: { dimensions: ['client', 'device'], metrics: ['uniqueOpens'], sort: '-uniqueOpens' },
    },
  },
  {
    key: 'recipient-domains',
    name: 'Recipient domains',
    description: 'Deliverability and opens per recipient domain.',
    definition: {
      visualisation: 'table',
      query: {
        dimensions: ['domain'],
        metrics: ['processed', 'delivered', 'bounces', 'bounceRate', 'uniqueOpens', 'openRate'],
        sort: '-processed',
        limit: 100,
      },
    },
  },
  {
    key: 'non-deliverables',
    name: 'Non-deliverables and failure reasons',
    description: 'Failed and bounced messages by failure reason.',
    definition: {
      visualisation: 'bar',
      query: {
        dimensions: ['failureReason'],
        metrics: ['bounces', 'hardBounces', 'softBounces', 'bounceRate'],
        sort: '-bounces',
      },
    },
  },
  {
    key: 'unsubscriptions',
    name: 'Unsubscriptions',
    description: 'Unsubscriptions per day over the last 30 days.',
    definition: {
      visualisation: 'line',
      query: {
        dimensions: ['day'],
        metrics: ['uniqueUnsubscriptions', 'unsubscriptionRate'],
        period: { lastDays: 30 },
      },
    },
  },
  {
    key: 'sending-throughput',
    name: 'Sending throughput',
    description: 'Messages processed per hour over the last 7 days.',
    definition: {
      visualisation: 'bar',
      query: { dimensions: ['hour'], metrics: ['processed', 'delivered', 'failed'], period: { lastDays: 7 } },
    },
  },
];
