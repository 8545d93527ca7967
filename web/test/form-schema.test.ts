import { describe, expect, it } from 'vitest';
import { issuesToErrorSchema, italianMessage, prepareTaskSchema } from '../src/formSchema';
import { apiFormSchema } from './schemas';

describe('prepareTaskSchema', () => {
  it('turns descriptions into titles, enums into labelled choices and drops the draft marker', () => {
    const s = prepareTaskSchema(apiFormSchema('welfare_recheck')) as { $schema?: string; title?: string; properties: Record<string, Record<string, unknown>> };
    expect(s.$schema).toBeUndefined();
    expect(s.title).toBeUndefined();
    expect(s.properties.personFound).toMatchObject({ title: 'Persona trovata', type: 'boolean', default: false });
    expect(s.properties.condition?.oneOf).toEqual([
      { const: 'stable', title: 'Stabili' },
      { const: 'worsened', title: 'Peggiorate' },
      { const: 'critical', title: 'Critico' },
    ]);
  });

  it('names the risk questions group', () => {
    const s = prepareTaskSchema(apiFormSchema('risk_check')) as { properties: Record<string, { title?: string }> };
    expect(s.properties.questions?.title).toBe('Domande di valutazione');
  });
});

describe('italianMessage', () => {
  it.each([
    [{ name: 'required', params: {} }, 'campo obbligatorio'],
    [{ name: 'minLength', params: { limit: 1 } }, 'campo obbligatorio'],
    [{ name: 'minLength', params: { limit: 3 } }, 'almeno 3 caratteri'],
    [{ name: 'maximum', params: { limit: 720 } }, 'il valore massimo è 720'],
    [{ name: 'type', params: { type: 'integer' } }, 'inserire un numero intero'],
    [{ name: 'format', params: { format: 'date-time' } }, 'data e ora non valide'],
    [{ name: 'oneOf', params: {} }, 'scegliere un valore dall’elenco'],
    [{ name: 'minItems', params: { limit: 1 } }, 'indicare almeno un elemento'],
  ])('%o → %s', (error, expected) => {
    expect(italianMessage(error)).toBe(expected);
  });
});

describe('issuesToErrorSchema', () => {
  it('nests dotted paths and keeps every message', () => {
    expect(
      issuesToErrorSchema([
        { path: 'questions.childrenCount', message: 'indicare quanti minori sono presenti' },
        { path: 'notices', message: 'manca la segnalazione a procura_minorenni' },
        { path: 'notices', message: 'manca la segnalazione a ministero_lavoro' },
      ]),
    ).toEqual({
      questions: { childrenCount: { __errors: ['indicare quanti minori sono presenti'] } },
      notices: { __errors: ['manca la segnalazione a procura_minorenni', 'manca la segnalazione a ministero_lavoro'] },
    });
  });
});
