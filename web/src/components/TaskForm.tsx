import Form from '@rjsf/core';
import {
  englishStringTranslator,
  type ErrorListProps,
  type IconButtonProps,
  type RJSFSchema,
  type SubmitButtonProps,
  deepEquals,
  TranslatableString,
  type ValidatorType,
  type UiSchema,
} from '@rjsf/utils';
import validator, { createPrecompiledValidator } from '@rjsf/validator-ajv8';
import { useMemo, useState } from 'react';
import { PRECOMPILED } from 'virtual:task-validators';
import type { FieldIssue } from '../api';
import { issuesToErrorSchema, prepareTaskSchema, titleAt, transformErrors } from '../formSchema';

/**
 * A task's form, rendered from the JSON Schema the API gives for it. The browser checks what the
 * schema can say (Italian messages); the server answers for the rest (e.g. "with a health danger
 * record the 112/118 activation"), and its field issues are shown next to the fields.
 */

const ITALIAN: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.ArrayItemTitle]: 'Elemento',
  [TranslatableString.EmptyArray]: 'Nessun elemento: usare il pulsante «Aggiungi».',
  [TranslatableString.YesLabel]: 'Sì',
  [TranslatableString.NoLabel]: 'No',
  [TranslatableString.CloseLabel]: 'Chiudi',
  [TranslatableString.ErrorsLabel]: 'Da correggere',
  [TranslatableString.AddButton]: 'Aggiungi',
  [TranslatableString.AddItemButton]: 'Aggiungi',
  [TranslatableString.CopyButton]: 'Copia',
  [TranslatableString.MoveDownButton]: 'Sposta giù',
  [TranslatableString.MoveUpButton]: 'Sposta su',
  [TranslatableString.RemoveButton]: 'Rimuovi',
  [TranslatableString.NowLabel]: 'Adesso',
  [TranslatableString.ClearLabel]: 'Cancella',
  [TranslatableString.AriaDateLabel]: 'Scegliere una data',
  [TranslatableString.OptionalObjectAdd]: 'Aggiungi dati facoltativi',
  [TranslatableString.OptionalObjectRemove]: 'Rimuovi dati facoltativi',
  [TranslatableString.OptionalObjectEmptyMsg]: 'Nessun dato',
};

export function translateString(s: TranslatableString, params?: string[]): string {
  const it = ITALIAN[s];
  return it === undefined ? englishStringTranslator(s, params) : it;
}

function ErrorList({ errors, schema }: ErrorListProps) {
  return (
    <div className="alert alert-danger" role="alert">
      <h2 className="h5">Controllare il modulo</h2>
      <ul className="mb-0">
        {errors.map((e, i) => {
          const title = e.title ?? titleAt(schema, e.property);
          return <li key={i}>{title ? `${title}: ${e.message}` : (e.message ?? e.stack)}</li>;
        })}
      </ul>
    </div>
  );
}

const textButton = (text: string, variant: string) =>
  function TextButton(props: IconButtonProps) {
    const { onClick, disabled, id } = props;
    return (
      <button type="button" id={id} className={`btn btn-sm btn-${variant} me-1`} onClick={onClick} disabled={disabled}>
        {text}
      </button>
    );
  };

/**
 * The validator for a prepared schema: the one compiled at build time for the same form (the served
 * page forbids compiling code), else ajv compiling at run time (dev server, tests). A schema the
 * build does not know (the API runs a newer form than this page) is left to the server's verdict.
 */
export function validatorFor(schema: RJSFSchema): ValidatorType {
  if (PRECOMPILED === null) return validator;
  const same = Object.values(PRECOMPILED).find((p) => deepEquals(p.schema, schema));
  return same ? createPrecompiledValidator(same.fns, same.schema as RJSFSchema) : serverOnly;
}

const serverOnly: ValidatorType = {
  validateFormData: () => ({ errors: [], errorSchema: {} }),
  isValid: () => true,
  rawValidation: () => ({}),
  reset: () => undefined,
};

export interface TaskFormProps {
  schema: Record<string, unknown>;
  submitText?: string;
  disabled?: boolean;
  /** Field issues from the server's verdict (422). */
  serverIssues?: FieldIssue[];
  /** Widgets for some fields (e.g. the directory picker of the intervention form). */
  fieldsUiSchema?: UiSchema;
  /** Applied to the data on every change (e.g. a chosen resource fills in its type). */
  onChangeData?: (data: Record<string, unknown>) => Record<string, unknown>;
  onSubmit: (form: Record<string, unknown>) => void;
}

export function TaskForm({ schema, submitText = 'Completa l’attività', disabled, serverIssues, fieldsUiSchema, onChangeData, onSubmit }: TaskFormProps) {
  const prepared: RJSFSchema = useMemo(() => prepareTaskSchema(schema), [schema]);
  const formValidator = useMemo(() => validatorFor(prepared), [prepared]);
  const [formData, setFormData] = useState<Record<string, unknown> | undefined>(undefined);
  const extraErrors = useMemo(() => (serverIssues && serverIssues.length > 0 ? issuesToErrorSchema(serverIssues) : undefined), [serverIssues]);
  const uiSchema: UiSchema = { ...fieldsUiSchema, 'ui:submitButtonOptions': { submitText } };

  function SubmitButton(props: SubmitButtonProps) {
    const label = props.uiSchema?.['ui:submitButtonOptions']?.submitText ?? submitText;
    return (
      <button type="submit" className="btn btn-primary mt-3" disabled={disabled}>
        {label}
      </button>
    );
  }

  return (
    <Form
      schema={prepared}
      uiSchema={uiSchema}
      validator={formValidator}
      formData={formData}
      onChange={(e) => {
        const data = e.formData as Record<string, unknown>;
        setFormData(onChangeData ? onChangeData(data) : data);
      }}
      onSubmit={(e) => onSubmit((e.formData ?? {}) as Record<string, unknown>)}
      onError={() => undefined}
      // An optional choice starts empty rather than on its first option.
      experimental_defaultFormStateBehavior={{ constAsDefaults: 'skipOneOf' }}
      transformErrors={transformErrors}
      extraErrors={extraErrors}
      translateString={translateString}
      showErrorList="top"
      noHtml5Validate
      disabled={disabled}
      templates={{
        ErrorListTemplate: ErrorList,
        ButtonTemplates: {
          SubmitButton,
          AddButton: textButton('Aggiungi', 'outline-primary'),
          RemoveButton: textButton('Rimuovi', 'outline-danger'),
          MoveUpButton: textButton('Sposta su', 'outline-secondary'),
          MoveDownButton: textButton('Sposta giù', 'outline-secondary'),
          CopyButton: textButton('Copia', 'outline-secondary'),
        },
      }}
    />
  );
}
