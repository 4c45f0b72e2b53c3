// A tracking load spread over several Strapi processes (bench/scale.js): opens and clicks of a sent delivery's
// recipients through the real tracking routes, round-robin over the processes, then a count of the events stored.
'use strict';
const http = require('http');
const path = require('path');
const { ROOT } = require('./child');
const { TOKEN_KEY } = require('./newsletter');

require(path.join(ROOT, 'tests', 'helpers', 'register-ts.js'));
const { createTokenSigner } = require(path.join(ROOT, 'server', 'src', 'platform', 'tokens.ts'));

const get = (agent, url) =>
  new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
  });

/**
 * `hits` requests, every other one an open and the rest clicks, over the first recipients of the delivery (many
 * recipients: the hits are not one person's burst), `concurrency` at a time. Resolves with what the processes
 * answered and what the database holds.
 */
const trackingLoad = async ({ knex, processes }, deliveryId, { hits, concurrency }) => {
  const signer = createTokenSigner([TOKEN_KEY]);
  const logIds = (
    await knex('campaigns_delivery_logs')
      .where('delivery_id', deliveryId)
      .orderBy('id')
      .limit(Math.max(1, Math.ceil(hits / 2)))
      .select('id')
  ).map((row) => Number(row.id));
  const linkIds = (
    await knex('campaigns_tracked_links').where({ delivery_id: deliveryId, kind: 'tracked' }).select('id')
  ).map((row) => Number(row.id));
  const agents = processes.map(() => new http.Agent({ keepAlive: true, maxSockets: concurrency }));
  const answered = processes.map(() => 0);
  const failed = {};
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < hits) {
        const n = next++;
        // Each process gets opens and clicks alike.
        const at = Math.floor(n / 2) % processes.length;
        const deliveryLogId = logIds[Math.floor(n / 2) % logIds.length];
        const token =
          n % 2 === 0
            ? `o/${signer.sign({ kind: 'open', deliveryId, deliveryLogId })}`
            : `c/${signer.sign({ kind: 'click', deliveryId, deliveryLogId, trackedLinkId: linkIds[n % linkIds.length] })}`;
        const status = await get(agents[at], `${processes[at].url}/api/campaigns/${token}`);
        if (status === 200 || status === 302) answered[at] += 1;
        else failed[status] = (failed[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agents.forEach((agent) => agent.destroy());
  const stored = Number(
    (await knex('campaigns_tracking_logs').where('delivery_id', deliveryId).count({ count: '*' }).first()).count,
  );
  const total = answered.reduce((a, b) => a + b, 0);
  return { hits, answered: total, answeredBy: answered, failed, stored, seconds, perSecond: total / seconds };
};

module.exports = { trackingLoad };
