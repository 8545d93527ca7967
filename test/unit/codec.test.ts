import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, METADATA_KEY_ID, PayloadCodecError } from '../../src/temporal/codec';
import { createDataConverter } from '../../src/temporal/data-converter';
import {
  KeyringError,
  LOCAL_KEYRING_FILE,
  keyringFromConfig,
  loadOrCreateLocalKeyring,
  parseKeyring,
} from '../../src/temporal/keyring';

const newKey = (): string => randomBytes(32).toString('base64');
const meta = (payload: Payload, name: string): string | undefined => {
  const value = payload.metadata?.[name];
  return value ? Buffer.from(value).toString() : undefined;
};
const withData = (payload: Payload, mutate: (data: Buffer) => void): Payload => {
  const data = Buffer.from(payload.data as Uint8Array);
  mutate(data);
  return { ...payload, data };
};

const samples: Array<[string, unknown]> = [
  ['string', 'Mario Rossi, via Roma 1'],
  ['object', { caseId: 'c-1', notes: ['à è ì ò ù'], nested: { minor: true, age: 15 } }],
  ['number', 42.5],
  ['null', null],
  ['undefined', undefined],
  ['binary', new Uint8Array([0, 1, 2, 255])],
  ['empty string', ''],
];

describe('AesGcmPayloadCodec', () => {
  const keyring = parseKeyring(`k1:${newKey()}`);
  const codec = new AesGcmPayloadCodec(keyring);

  it.each(samples)('round-trips a %s value', async (_name, value) => {
    const plain = defaultPayloadConverter.toPayload(value);
    const [encrypted] = await codec.encode([plain]);
    expect(meta(encrypted!, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(meta(encrypted!, METADATA_KEY_ID)).toBe('k1');
    expect(Object.keys(encrypted!.metadata ?? {}).sort()).toEqual(['encoding', METADATA_KEY_ID]);
    if (typeof value === 'string' && value.length > 0) {
      expect(Buffer.from(encrypted!.data as Uint8Array).toString('latin1')).not.toContain(value);
    }
    const [decoded] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(value);
    expect(meta(decoded!, 'encoding')).toBe(meta(plain, 'encoding'));
  });

  it('encodes and decodes several payloads at once, and an empty list', async () => {
    const plain = samples.map(([, v]) => defaultPayloadConverter.toPayload(v));
    const decoded = await codec.decode(await codec.encode(plain));
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(samples.map(([, v]) => v));
    await expect(codec.encode([])).resolves.toEqual([]);
  });

  it('uses a fresh IV for every payload', async () => {
    const plain = defaultPayloadConverter.toPayload('same');
    const [a, b] = await codec.encode([plain, plain]);
    expect(Buffer.from(a!.data as Uint8Array).subarray(0, 12)).not.toEqual(Buffer.from(b!.data as Uint8Array).subarray(0, 12));
    expect(Buffer.from(a!.data as Uint8Array)).not.toEqual(Buffer.from(b!.data as Uint8Array));
  });

  it('passes unencrypted payloads through on decode', async () => {
    const plain = defaultPayloadConverter.toPayload({ a: 1 });
    await expect(codec.decode([plain])).resolves.toEqual([plain]);
  });

  describe('detects tampering', () => {
    let encrypted: Payload;
    beforeAll(async () => {
      [encrypted] = (await codec.encode([defaultPayloadConverter.toPayload('secret')])) as [Payload];
    });

    const expectRejected = async (payload: Payload, reason: string): Promise<void> => {
      const error = await codec.decode([payload]).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(PayloadCodecError);
      expect((error as PayloadCodecError).reason).toBe(reason);
      expect((error as Error).message).not.toMatch(/secret/);
    };

    it('in the ciphertext', async () => {
      await expectRejected(withData(encrypted, (d) => { d[14]! ^= 0x01; }), 'tampered');
      await expect(codec.decode([withData(encrypted, (d) => { d[14]! ^= 0x01; })])).rejects.toThrow(
        /key id "k1".*failed authentication/,
      );
    });

    it('in the IV', async () => {
      await expectRejected(withData(encrypted, (d) => { d[0]! ^= 0x80; }), 'tampered');
    });

    it('in the auth tag', async () => {
      await expectRejected(withData(encrypted, (d) => { d[d.length - 1]! ^= 0x01; }), 'tampered');
    });

    it('in the key id (unknown id)', async () => {
      const relabelled = { ...encrypted, metadata: { ...encrypted.metadata, [METADATA_KEY_ID]: Buffer.from('k2') } };
      await expectRejected(relabelled, 'unknown-key');
    });

    it('in the key id (relabelled to another known key)', async () => {
      const k1 = newKey();
      const two = new AesGcmPayloadCodec(parseKeyring(`k1:${k1},k2:${k1}`));
      const [sealed] = (await two.encode([defaultPayloadConverter.toPayload('x')])) as [Payload];
      const relabelled = { ...sealed, metadata: { ...sealed.metadata, [METADATA_KEY_ID]: Buffer.from('k2') } };
      // Same key bytes under both ids: only the key id bound as AAD can catch this.
      await expect(two.decode([relabelled])).rejects.toMatchObject({ reason: 'tampered' });
    });

    it('truncated data or missing key id', async () => {
      await expectRejected({ ...encrypted, data: Buffer.alloc(10) }, 'malformed');
      await expectRejected({ ...encrypted, metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING) } }, 'malformed');
    });
  });

  it('rejects an unknown key id with a message naming the id and no key material', async () => {
    const otherKey = newKey();
    const other = new AesGcmPayloadCodec(parseKeyring(`old-2023:${otherKey}`));
    const [sealed] = await other.encode([defaultPayloadConverter.toPayload('x')]);
    const error = (await codec.decode([sealed!]).catch((err: unknown) => err)) as Error;
    expect(error).toBeInstanceOf(PayloadCodecError);
    expect(error.message).toContain('"old-2023"');
    expect(error.message).not.toContain(otherKey);
  });
});

describe('key rotation', () => {
  const oldKey = newKey();
  const newKeyValue = newKey();

  it('encrypts with the active key and decrypts with any key of the keyring', async () => {
    const before = new AesGcmPayloadCodec(parseKeyring(`old:${oldKey}`));
    const [written] = (await before.encode([defaultPayloadConverter.toPayload('case data')])) as [Payload];

    // Step 1: add the new key, still encrypting with the old one.
    const added = parseKeyring(`old:${oldKey},new:${newKeyValue}`, 'old');
    expect(meta((await new AesGcmPayloadCodec(added).encode([written]))[0]!, METADATA_KEY_ID)).toBe('old');

    // Step 2: switch the active key; old payloads stay readable.
    const switched = new AesGcmPayloadCodec(added.withActiveKey('new'));
    const [rewritten] = (await switched.encode([defaultPayloadConverter.toPayload('new data')])) as [Payload];
    expect(meta(rewritten, METADATA_KEY_ID)).toBe('new');
    const [oldDecoded, newDecoded] = await switched.decode([written, rewritten]);
    expect(defaultPayloadConverter.fromPayload(oldDecoded!)).toBe('case data');
    expect(defaultPayloadConverter.fromPayload(newDecoded!)).toBe('new data');

    // A keyring without the old key can no longer read old payloads, and says which key is missing.
    const retired = new AesGcmPayloadCodec(parseKeyring(`new:${newKeyValue}`));
    await expect(retired.decode([written])).rejects.toThrow(/"old"/);
  });

  it('uses the first key as active unless CODEC_ACTIVE_KEY_ID says otherwise', () => {
    expect(parseKeyring(`a:${oldKey},b:${newKeyValue}`).activeKeyId).toBe('a');
    expect(parseKeyring(`a:${oldKey},b:${newKeyValue}`, 'b').activeKeyId).toBe('b');
  });
});

describe('parseKeyring', () => {
  const key = newKey();
  const cases: Array<[string, string, string | undefined, RegExp]> = [
    ['empty', ' , ', undefined, /no keys given/],
    ['missing id', key, undefined, /entry 1: expected "keyId:base64key"/],
    ['bad id', `bad id!:${key}`, undefined, /entry 1: key id must be/],
    ['not base64', 'k1:not*base64', undefined, /entry 1 \(key id "k1"\): key is not valid base64/],
    ['short key', `k1:${randomBytes(16).toString('base64')}`, undefined, /must decode to 32 bytes, got 16/],
    ['duplicate id', `k1:${key},k1:${newKey()}`, undefined, /entry 2: key id "k1" is duplicated/],
    ['unknown active', `k1:${key}`, 'k9', /active key id "k9" is not among the keys \(k1\)/],
    ['malformed active', `k1:${key}`, key, /active key id \(malformed id, not shown\)/],
  ];

  it.each(cases)('rejects %s readably and without key material', (_name, spec, active, message) => {
    let error: unknown;
    try {
      parseKeyring(spec, active);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(KeyringError);
    expect((error as Error).message).toMatch(/^CODEC_KEYS is invalid: /);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(key);
  });

  it('reports every problem at once', () => {
    expect(() => parseKeyring(`k1:short,k2:${key},k2:${key}`)).toThrow(/entry 1.*; entry 3/);
  });

  it('never prints key material when logged or serialised', () => {
    const keyring = parseKeyring(`k1:${key},k2:${newKey()}`, 'k2');
    expect(inspect(keyring)).toBe('Keyring(active=k2, keys=[k1, k2])');
    expect(JSON.stringify(keyring)).toBe('{"activeKeyId":"k2","keyIds":["k1","k2"]}');
    expect(`${inspect({ keyring }, { depth: 5, showHidden: true })}`).not.toContain(key);
  });
});

describe('local keyring', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pis-codec-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('generates a key on first start, stores it with mode 0600 and reuses it after', async () => {
    const nested = path.join(dataDir, 'data');
    const first = loadOrCreateLocalKeyring(nested);
    const file = path.join(nested, LOCAL_KEYRING_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.activeKeyId).toMatch(/^local-[0-9a-f]{8}$/);

    const [sealed] = await new AesGcmPayloadCodec(first).encode([defaultPayloadConverter.toPayload('kept')]);
    const second = loadOrCreateLocalKeyring(nested);
    expect(second.activeKeyId).toBe(first.activeKeyId);
    const [opened] = await new AesGcmPayloadCodec(second).decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toBe('kept');
  });

  it('tightens a key file that others can read', () => {
    loadOrCreateLocalKeyring(dataDir);
    const file = path.join(dataDir, LOCAL_KEYRING_FILE);
    fs.chmodSync(file, 0o644);
    loadOrCreateLocalKeyring(dataDir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('rejects a corrupted key file naming the file, not the key', () => {
    fs.writeFileSync(path.join(dataDir, LOCAL_KEYRING_FILE), 'local-1:tooshort\n', { mode: 0o600 });
    expect(() => loadOrCreateLocalKeyring(dataDir)).toThrow(/codec-keys is invalid: .*"local-1"/);
  });

  it('keyringFromConfig prefers CODEC_KEYS and falls back to the local key', () => {
    const key = newKey();
    expect(keyringFromConfig({ keys: `cfg:${key}` }, dataDir).keyIds).toEqual(['cfg']);
    expect(fs.existsSync(path.join(dataDir, LOCAL_KEYRING_FILE))).toBe(false);
    expect(keyringFromConfig({}, dataDir).activeKeyId).toMatch(/^local-/);
    expect(() => keyringFromConfig({ activeKeyId: 'x' }, dataDir)).toThrow(/CODEC_KEYS is not/);
  });
});

describe('createDataConverter', () => {
  it('puts the encryption codec on the data converter', async () => {
    const converter = createDataConverter(parseKeyring(`k1:${newKey()}`));
    expect(converter.payloadCodecs).toHaveLength(1);
    const [sealed] = await converter.payloadCodecs![0]!.encode([defaultPayloadConverter.toPayload('x')]);
    expect(meta(sealed!, 'encoding')).toBe(ENCRYPTED_ENCODING);
  });
});
