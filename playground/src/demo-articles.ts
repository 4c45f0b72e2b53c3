// The demo's blog: published articles with a blocks body and a cover picture in the Media Library, so "Send as
// newsletter" (the article's edit view) and "Make a digest" (its list view) have something to send.
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { solidPng } from './solid-png';

const ARTICLE = 'api::article.article';

const paragraph = (text: string) => ({ type: 'paragraph', children: [{ type: 'text', text }] });

const ARTICLES = [
  { title: 'The garden opens for the summer', category: 'news', colour: '#7bb661', topic: 'the garden' },
  { title: 'Five cold soups for hot days', category: 'food', colour: '#f2b880', topic: 'cold soups' },
  { title: 'How we repair old bicycles', category: 'workshop', colour: '#8fc1e3', topic: 'bicycle repairs' },
  { title: 'A walk along the river', category: 'outdoors', colour: '#5b8fb9', topic: 'the river walk' },
  { title: 'Meet the new librarians', category: 'news', colour: '#c38fd6', topic: 'the library' },
  { title: 'Night market: what to expect', category: 'events', colour: '#e07a5f', topic: 'the night market' },
];

/** A picture in the Media Library, uploaded through the upload plugin like one an editor drops in. */
const uploadCover = async (strapi: Core.Strapi, name: string, colour: string, alt: string) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-demo-')), `${name}.png`);
  fs.writeFileSync(file, solidPng(1200, 600, colour));
  const [uploaded] = await strapi
    .plugin('upload')
    .service('upload')
    .upload({
      data: { fileInfo: { alternativeText: alt, name: `${name}.png` } },
      files: { filepath: file, originalFilename: `${name}.png`, mimetype: 'image/png', size: fs.statSync(file).size },
    });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return uploaded as { id: number };
};

/** The Article's newsletter shape, saved as an admin would in Settings > Campaigns > Newsletter shapes. */
export const ensureArticleShape = async (strapi: Core.Strapi) => {
  const entries = strapi.plugin('campaigns').service('entries');
  const types: Array<{ uid: string; shape: object; shapeSaved: boolean }> = await entries.types();
  const article = types.find((type) => type.uid === ARTICLE);
  if (article && !article.shapeSaved) await entries.saveShape(article.shape);
};

export const ensureArticles = async (strapi: Core.Strapi) => {
  if ((await strapi.documents(ARTICLE).count({})) > 0) return;
  for (const [index, spec] of ARTICLES.entries()) {
    const slug = spec.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    const cover = await uploadCover(strapi, slug, spec.colour, `A picture for ${spec.topic}`);
    await strapi.documents(ARTICLE).create({
      data: {
        title: spec.title,
        slug,
        category: spec.category,
        excerpt: `Everything about ${spec.topic}, in a few minutes of reading.`,
        cover: cover.id,
        body: [
          paragraph(`This week we look at ${spec.topic}: what changed, and what comes next.`),
          { type: 'heading', level: 2, children: [{ type: 'text', text: 'What to know' }] },
          {
            type: 'list',
            format: 'unordered',
            children: ['Open every day', 'Free for members', 'Bring a friend'].map((text) => ({
              type: 'list-item',
              children: [{ type: 'text', text }],
            })),
          },
          {
            type: 'paragraph',
            children: [
              { type: 'text', text: 'More on ' },
              { type: 'link', url: 'https://strapi.io/', children: [{ type: 'text', text: 'strapi.io' }] },
              { type: 'text', text: `, article ${index + 1} of ${ARTICLES.length}.` },
            ],
          },
        ],
      },
      status: 'published',
    } as never);
  }
  strapi.log.info(`[demo] seeded ${ARTICLES.length} articles (Content Manager > Article: "Send as newsletter")`);
};
