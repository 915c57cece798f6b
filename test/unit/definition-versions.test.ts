import { definitionChecksum } from '../../definitions/canonical';
import * as builtIn from '../../definitions/built-in';
import { BUILT_IN_DEFINITIONS, type ProcessDefinition } from '../../definitions';

// A published definition version never changes: running instances and recorded
// histories depend on its exact content. This table holds the checksum (SHA-256 of the
// canonical JSON) of every version shipped with the engine. A change to a shipped
// version fails here; the fix is a new version (and a new row), never an edited row.
// Superseded versions are frozen as JSON (definitions/built-in/frozen/), so an edit to
// today's forms, tasks or policies cannot reach them.
const PUBLISHED: Readonly<Record<string, string>> = {
  'after-sales@1': '9f6a085f15cb6712c98fb30d03753a75d0bd1755a553c554c14df77f8fe297c6',
  'contract@1': 'a44d939e1ec0495fc8aa7b4179f17e6da8c1b3159eb2c07967bc470434113253',
  'discount-approval@1': '192d2389bf73307c3a2cbfb04afddd25a1794883a2373c5238cdd645701d4629',
  'marketing-execution@1': '941bf6866f3da779f38d3ed359ae516cd2623afb0cdc4ff0616fc2f45306f156',
  'marketing-phase-plan@1': 'fcf373d19add9f1ffc859320bd7fd81758827e60255c2bd7507dddfa1becbc6e',
  'marketing-phase-plan@2': 'c83e73e1e13b4647870d68463df45c95f1759f907972489a0b4c4faa04ff5735',
  'order-cancellation@1': '76ae782d1fa32e567035bbe6f62de666563eb3d8f6f7307000943af768ac19db',
  'payment-receipt@1': 'bf911a4819a311cb70a7c8f26b098c36d34fb3faf97a29418aa553ed807ac755',
  'payment-schedule@1': '7c2a45346615887f021e65660dccb63acd37b24ea9c1cda87ff02ba7a3f44dbc',
  'plan-adjustment@1': '5c28e0693fa29ec18aec7010fd82614155ceb765b8f64a09b606f79d378eebc7',
  'plan-adjustment@2': '1d50eec28923be0528893b7112c3b74a56cbbb5c61ab4003d85360b34ba0a2ca',
  'plan-adjustment@3': '6841f0f49dc259fa4df932e76f187c9e4bc0c3039a1647023fc670a1a337732b',
  'plan-study@1': '749281b85a0a63ca2723140c8632d76b04e6679cd6d223eea17d662f4d26c73e',
  'sales-launch@1': '1aa7654a07cb08eaecdc3f47665fae44fb6152cc84f0da7cfe6626157a33f153',
  'sales-launch@2': 'd7cbd4be04f1eaddd1bec9c5187f4b1544ff43f679497989ec3be5a6a75e33db',
  'sales-launch@3': '8caa246f4e7541841b47f2cfa17b44f26e45f5a3e71d0b649ee98a836815ef85',
  'sales-launch@4': 'dd164dacb1da39046856b63bc754141d4a26da8fe2d5c58906aaa86c8ab8722a',
  'sales-launch@5': 'dc8dfe2e0a7a6638cabb15065bca45f0e140238116643a781f22a52aac0008e6',
  'subscription@1': 'a6bac57416364adc323fc2ce6ba4125e9040e72b31e058e1ac239b0bf23d621a',
  'subscription@2': '550c4a17881613cbb7f37172447995e290323488c69e3a760dd361a070676976',
  'two-level-approval@1': 'df0e58d1862513de3d02fd5ae77cdb6d0639991e0e115ff3e62905a4093851ac',
  'two-level-approval@2': 'b7f3baaea0e3c90acff091926fc717836f4ab31f0c6f9799114dfbcf2fef89ff',
  'visitor-reception@1': 'b5ab23231a33e06c481e52909a051eb9829a274bfb9a28512bd8f2797e1d9db4',
  'visitor-reception@2': 'f6ea8ea48e149226363b4f652314a513ef3761ff1854b7f0b9c585ab4313a9ec',
};

/** Every definition version the engine ships: those offered for new instances and the superseded ones. */
function shipped(): Map<string, ProcessDefinition> {
  const isDefinition = (v: unknown): v is ProcessDefinition => !!v && typeof v === 'object' && 'key' in v && 'version' in v && 'root' in v;
  const all = new Map<string, ProcessDefinition>();
  for (const d of [...BUILT_IN_DEFINITIONS, ...Object.values(builtIn).filter(isDefinition)]) all.set(`${d.key}@${d.version}`, d);
  return all;
}

test('every shipped version is in the table of published versions, and no row is left without its version', () => {
  expect([...shipped().keys()].sort()).toEqual(Object.keys(PUBLISHED).sort());
});

test.each(Object.entries(PUBLISHED))('%s is exactly as published', (id, checksum) => {
  const definition = shipped().get(id);
  expect(definition).toBeDefined();
  expect(definitionChecksum(definition)).toBe(checksum);
});

test('a superseded version is frozen: it imports no live module of the sales definitions', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const dir = join(__dirname, '..', '..', 'definitions', 'built-in', 'sales', 'superseded');
  for (const file of readdirSync(dir)) {
    const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect({ file, imports: imports.filter((i) => !i!.startsWith('../../frozen/') && i !== '../../../types') }).toEqual({
      file,
      imports: [],
    });
  }
});
