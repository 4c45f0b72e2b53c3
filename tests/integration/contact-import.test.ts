import fs from 'fs';
import os from 'os';
import path from 'path';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { currentDbClient } from '../helpers/databases';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-import-'));
const writeCsv = (name: string, content: string | Buffer) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
};

describe('CSV import of contacts into a list', () => {
  let app: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    app = await bootTestApp();
    auth = { Authorization: `Bearer ${await app.superAdminToken()}` };
  });
  afterAll(async () => {
    await app?.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const importFile = async (file: string, fields: Record<string, string>) => {
    let req = app.http().post('/campaigns/contacts/import').set(auth).attach('file', file);
    for (const [key, value] of Object.entries(fields)) req = req.field(key, value);
    const started = await req;
    expect(started.status).toBe(202);
    const progress: number[] = [];
    for (;;) {
      const res = await app.http().get(`/campaigns/contacts/imports/${started.body.data.id}`).set(auth);
      progress.push(res.body.data.rowsRead);
      if (res.body.data.status !== 'running') return { job: res.body.data, progress };
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const countContacts = () => app.strapi.db.query('plugin::campaigns.contact').count();
  const countAt = (domain: string) =>
    app.strapi.db.query('plugin::campaigns.contact').count({ where: { email: { $endsWith: `@${domain}` } } });
  const errorLines = (job: any) => job.errors.map((e: any) => e.line);

  it('imports good rows, reports broken ones with their line, and duplicates nothing', async () => {
    const file = writeCsv(
      'mixed.csv',
      [
        'email,first_name,Last Name,company',
        'ada@example.com,Ada,Lovelace,Analytical',
        'not-an-email,Bob,B,Nowhere',
        'GRACE@example.com,Grace,Hopper,Navy',
        'ada@example.com,Ada,King,Analytical',
        ',Empty,Email,None',
        '"broken,quote,row',
      ].join('\n') + '\n',
    );
    const { job } = await importFile(file, { newList: 'Imported' });
    expect(job).toMatchObject({ status: 'done', created: 2, duplicatesInFile: 1, list: { name: 'Imported' } });
    expect(job.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, email: 'not-an-email' }),
        expect.objectContaining({ line: 6, email: null, reason: 'the email address is empty' }),
      ]),
    );
    expect(job.failed).toBeGreaterThanOrEqual(3);
    expect(await countContacts()).toBe(2);

    const ada = await app.strapi.db
      .query('plugin::campaigns.contact')
      .findOne({ where: { email: 'ada@example.com' }, populate: ['lists'] });
    expect(ada).toMatchObject({ firstName: 'Ada', lastName: 'King', attributes: { company: 'Analytical' } });
    expect(ada.lists.map((l: any) => l.name)).toEqual(['Imported']);
  });

  it('upserts by normalised email on a second import and never resubscribes an unsubscribed contact', async () => {
    await app.strapi.db
      .query('plugin::campaigns.contact')
      .update({ where: { email: 'grace@example.com' }, data: { status: 'unsubscribed' } });
    const file = writeCsv(
      'again.csv',
      'Email,firstName,plan\n grace@EXAMPLE.com ,Grace M.,pro\nnew@example.com,New,free\n',
    );
    const { job } = await importFile(file, { newList: 'Imported' });
    expect(job).toMatchObject({ status: 'done', created: 1, updated: 1, failed: 0 });
    const grace = await app.strapi.db
      .query('plugin::campaigns.contact')
      .findOne({ where: { email: 'grace@example.com' } });
    expect(grace).toMatchObject({
      firstName: 'Grace M.',
      status: 'unsubscribed',
      attributes: { company: 'Navy', plan: 'pro' },
    });
    const list = await app.http().get('/campaigns/lists?search=Imported').set(auth);
    expect(list.body.data[0]).toMatchObject({ contacts: 3, subscribed: 2 });
  });

  it('fails a file without an email column with a clear message and imports nothing', async () => {
    const before = await countContacts();
    const { job } = await importFile(writeCsv('nocol.csv', 'name,phone\nAda,123\n'), {});
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/no "email" column/);
    expect(await countContacts()).toBe(before);
  });

  it('answers 400 when no file is sent, and 404 for an unknown list', async () => {
    expect((await app.http().post('/campaigns/contacts/import').set(auth).field('list', 'abc')).status).toBe(400);
    const res = await app
      .http()
      .post('/campaigns/contacts/import')
      .set(auth)
      .attach('file', writeCsv('x.csv', 'email\na@b.co\n'))
      .field('list', 'nosuchlist');
    expect(res.status).toBe(404);
  });

  it('refuses a 300-character name on row 1,201 of 1,301 with its line and stores the 1,300 other rows', async () => {
    const lines = ['email,firstName,lastName'];
    for (let row = 1; row <= 1301; row += 1)
      lines.push(`row${row}@long.example.com,${row === 1201 ? 'N'.repeat(300) : `First${row}`},Last${row}`);
    const { job } = await importFile(writeCsv('long-name.csv', lines.join('\n') + '\n'), {});
    expect(job).toMatchObject({ status: 'done', rowsRead: 1301, created: 1300, failed: 1, error: null });
    expect(job.errors).toEqual([
      { line: 1202, email: 'row1201@long.example.com', reason: 'the first name has 300 characters, at most 255' },
    ]);
    expect(await countAt('long.example.com')).toBe(1300);
  });

  it('reports an unclosed quote at its own line and still imports every line after it', async () => {
    const file = writeCsv(
      'quote.csv',
      [
        'email,firstName,lastName',
        'a@quote.example.com,A,A',
        'b@quote.example.com,B,B',
        'c@quote.example.com,"Cee,C',
        'd@quote.example.com,D,D',
        'e@quote.example.com,E,E',
        'f@quote.example.com,F,F',
        'g@quote.example.com,"Smith, J",G',
        'h@quote.example.com,H,H',
      ].join('\r\n') + '\r\n',
    );
    const { job } = await importFile(file, {});
    expect(job).toMatchObject({ status: 'done', created: 7, failed: 1 });
    expect(job.errors).toEqual([
      { line: 4, email: null, reason: expect.stringMatching(/^the quote at character 21 is not closed on this line/) },
    ]);
    expect(await countAt('quote.example.com')).toBe(7);
    const g = await app.strapi.db
      .query('plugin::campaigns.contact')
      .findOne({ where: { email: 'g@quote.example.com' } });
    expect(g.firstName).toBe('Smith, J');
  });

  it('never lets a broken quote swallow the 50 valid rows after it into one value', async () => {
    const lines = ['email,firstName,lastName', 'x@swallow.example.com,"Xavier,X'];
    for (let row = 1; row <= 50; row += 1) lines.push(`r${row}@swallow.example.com,R${row},R`);
    lines.push('y@swallow.example.com,Y",Y', 'z@swallow.example.com,Z,Z');
    const { job } = await importFile(writeCsv('swallow.csv', lines.join('\n') + '\n'), {});
    expect(job).toMatchObject({ status: 'done', created: 51, failed: 2 });
    expect(errorLines(job)).toEqual([2, 53]);
    expect(await countAt('swallow.example.com')).toBe(51);
  });

  it("refuses a 60 MB first name as its line's error, keeps the next row, and stores nothing of it", async () => {
    const file = path.join(tmp, 'huge.csv');
    const out = fs.createWriteStream(file);
    out.write('email,firstName,lastName\nhuge@huge.example.com,');
    const mb = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 60; i += 1) out.write(mb);
    out.write(',Huge\nnext@huge.example.com,Next,Row\n');
    await new Promise((resolve) => out.end(resolve));

    const { job } = await importFile(file, {});
    expect(job).toMatchObject({ status: 'done', created: 1, failed: 1 });
    expect(job.errors).toEqual([{ line: 2, email: null, reason: 'the line is longer than 65,536 characters' }]);
    expect(await countAt('huge.example.com')).toBe(1);
    expect(
      await app.strapi.db.query('plugin::campaigns.contact').findOne({ where: { email: 'next@huge.example.com' } }),
    ).toMatchObject({ firstName: 'Next' });
  }, 180_000);

  it('fails a Latin-1 file given without its encoding before writing anything, and reads it right when told', async () => {
    const latin1 = Buffer.from(
      'email,firstName,lastName\nzoe@latin.example.com,Zo\xe9,Caf\xe9\nann@latin.example.com,Ann,A\n',
      'latin1',
    );
    const file = writeCsv('latin1.csv', latin1);
    const refused = await importFile(file, {});
    expect(refused.job).toMatchObject({ status: 'failed', created: 0, rowsRead: 0 });
    expect(refused.job.error).toBe(
      'The file is not UTF-8: line 2 holds bytes that are not. Give its encoding in the "encoding" field (latin1, iso-8859-1 or windows-1252), or save it as UTF-8. Nothing was saved.',
    );
    expect(await countAt('latin.example.com')).toBe(0);

    const { job } = await importFile(file, { encoding: 'ISO-8859-1' });
    expect(job).toMatchObject({ status: 'done', created: 2, encoding: 'windows-1252' });
    const zoe = await app.strapi.db
      .query('plugin::campaigns.contact')
      .findOne({ where: { email: 'zoe@latin.example.com' } });
    expect(zoe).toMatchObject({ firstName: 'Zoé', lastName: 'Café' });

    const res = await app
      .http()
      .post('/campaigns/contacts/import')
      .set(auth)
      .attach('file', file)
      .field('encoding', 'ebcdic');
    expect(res.status).toBe(400);
  });

  it('reads UTF-16 files by their byte order mark', async () => {
    const utf16 = (text: string, bigEndian: boolean) => {
      const bytes = Buffer.from(`\ufeff${text}`, 'utf16le');
      return bigEndian ? bytes.swap16() : bytes;
    };
    const le = utf16('email,firstName\nutf16le@bom.example.com,Zoé\n', false);
    expect((await importFile(writeCsv('le.csv', le), {})).job).toMatchObject({
      status: 'done',
      created: 1,
      encoding: 'utf-16le',
    });
    const be = utf16('email,firstName\nutf16be@bom.example.com,Zoé\n', true);
    expect((await importFile(writeCsv('be.csv', be), {})).job).toMatchObject({
      status: 'done',
      created: 1,
      encoding: 'utf-16be',
    });
    const names = await app.strapi.db
      .query('plugin::campaigns.contact')
      .findMany({ where: { email: { $endsWith: '@bom.example.com' } }, orderBy: { email: 'asc' } });
    expect(names.map((c: any) => [c.email, c.firstName])).toEqual([
      ['utf16be@bom.example.com', 'Zoé'],
      ['utf16le@bom.example.com', 'Zoé'],
    ]);
  });

  it('stores every other row of a batch when the database refuses one, and shows no SQL', async () => {
    const knex = app.strapi.db.connection;
    const client = currentDbClient();
    const trigger = {
      sqlite: [
        `CREATE TRIGGER refuse_contact BEFORE INSERT ON campaigns_contacts WHEN NEW.first_name = 'Refused' BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END`,
      ],
      postgres: [
        `CREATE FUNCTION refuse_contact() RETURNS trigger AS $$ BEGIN IF NEW.first_name = 'Refused' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
        'CREATE TRIGGER refuse_contact BEFORE INSERT ON campaigns_contacts FOR EACH ROW EXECUTE FUNCTION refuse_contact()',
      ],
      mysql: [
        `CREATE TRIGGER refuse_contact BEFORE INSERT ON campaigns_contacts FOR EACH ROW BEGIN IF NEW.first_name = 'Refused' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test trigger'; END IF; END`,
      ],
    }[client];
    for (const sql of trigger) await knex.raw(sql);
    try {
      const lines = ['email,firstName'];
      for (let row = 1; row <= 600; row += 1)
        lines.push(`row${row}@refused.example.com,${row === 300 ? 'Refused' : `First${row}`}`);
      const { job } = await importFile(writeCsv('refused.csv', lines.join('\n') + '\n'), {});
      expect(job).toMatchObject({ status: 'done', created: 599, failed: 1 });
      expect(job.errors).toEqual([
        {
          line: 301,
          email: 'row300@refused.example.com',
          reason: 'the database refused to store this row (details in the server log)',
        },
      ]);
      expect(JSON.stringify(job)).not.toMatch(/insert|campaigns_contacts|trigger/i);
      expect(await countAt('refused.example.com')).toBe(599);
    } finally {
      await knex.raw('DROP TRIGGER refuse_contact' + (client === 'postgres' ? ' ON campaigns_contacts' : ''));
    }
  });

  // 100,000 rows on SQLite; the server databases take 20,000 to keep the suite short (the code path is the same).
  const rows = currentDbClient() === 'sqlite' ? 100_000 : 20_000;
  it(`streams a ${rows.toLocaleString('en')}-row file in batches, showing progress, and counts every row`, async () => {
    const file = path.join(tmp, 'big.csv');
    const out = fs.createWriteStream(file);
    out.write('email,firstName,lastName,city\n');
    for (let i = 0; i < rows; i += 1) out.write(`user${i}@big.example.com,First${i},Last${i},City${i % 97}\n`);
    await new Promise((resolve) => out.end(resolve));

    const { job, progress } = await importFile(file, { newList: 'Big' });
    expect(job).toMatchObject({ status: 'done', rowsRead: rows, created: rows, failed: 0 });
    expect(job.bytesRead).toBe(job.bytesTotal);
    // Progress was visible while the import ran, not only at the end.
    expect(progress.some((n) => n > 0 && n < rows)).toBe(true);
    const list = await app.http().get('/campaigns/lists?search=Big').set(auth);
    expect(list.body.data[0].contacts).toBe(rows);
  }, 300_000);
  it("follows the admin's column mapping: fields and attributes by choice, a skipped column left out", async () => {
    const file = writeCsv(
      'mapped.csv',
      'Courriel,Prénom,Formule,Notes\nmapped1@mapped.test,Léa,pro,secret\nnot-an-address,Bad,free,x\nmapped2@mapped.test,Tom,free,y\n',
    );
    const { job } = await importFile(file, {
      columns: JSON.stringify(['email', 'firstName', 'attribute:plan', '']),
      newList: 'Mapped',
    });
    expect(job).toMatchObject({ status: 'done', created: 2, failed: 1, list: { name: 'Mapped' } });
    expect(errorLines(job)).toEqual([3]);
    const lea = await app.strapi.db
      .query('plugin::campaigns.contact')
      .findOne({ where: { email: 'mapped1@mapped.test' }, populate: ['lists'] });
    expect(lea).toMatchObject({ firstName: 'Léa', attributes: { plan: 'pro' } });
    expect(lea.attributes).not.toHaveProperty('Notes');
    expect(lea.lists.map((l: any) => l.name)).toEqual(['Mapped']);
  });

  it('refuses a column mapping without one email column, with a field twice, or that is not JSON', async () => {
    const file = () => writeCsv('refused.csv', 'a,b\nx@refused.test,y\n');
    for (const columns of [['firstName', ''], ['email', 'email'], ['email', 'attribute:bad name'], 'not json']) {
      const res = await app
        .http()
        .post('/campaigns/contacts/import')
        .set(auth)
        .attach('file', file())
        .field('columns', typeof columns === 'string' ? columns : JSON.stringify(columns));
      expect(res.status).toBe(400);
    }
    expect(await countAt('refused.test')).toBe(0);
  });

  it('fails the import clearly when the mapping does not fit the header', async () => {
    const { job } = await importFile(writeCsv('short.csv', 'email,name,plan\nx@short.test,X,pro\n'), {
      columns: JSON.stringify(['email', 'firstName']),
    });
    expect(job.status).toBe('failed');
    expect(job.error).toContain('The column mapping names 2 columns but the CSV header has 3.');
    expect(await countAt('short.test')).toBe(0);
  });
});
