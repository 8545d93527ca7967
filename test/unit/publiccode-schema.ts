/**
 * The publiccode.yml standard (Developers Italia, version 0.4, with the Italian extension 0.2) as a
 * JSON Schema, written for this project from the standard's field reference: no official
 * validator is installable here (the Go `publiccode-parser` is not on the Go module proxy and none
 * is on npm or PyPI). It covers the keys, types, required fields, enumerations and lengths the
 * standard states; test/unit/publiccode.test.ts adds the checks a schema cannot express (files
 * exist, SPDX licence, dates).
 */

const localisedDescription = {
  type: 'object',
  additionalProperties: false,
  required: ['shortDescription', 'longDescription', 'features'],
  properties: {
    localisedName: { type: 'string', minLength: 1 },
    genericName: { type: 'string', minLength: 1, maxLength: 35 },
    shortDescription: { type: 'string', minLength: 1, maxLength: 150 },
    longDescription: { type: 'string', minLength: 150, maxLength: 10000 },
    documentation: { type: 'string', format: 'uri' },
    apiDocumentation: { type: 'string', format: 'uri' },
    features: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 100 } },
    screenshots: { type: 'array', items: { type: 'string', minLength: 1 } },
    videos: { type: 'array', items: { type: 'string', format: 'uri' } },
    awards: { type: 'array', items: { type: 'string' } },
  },
};

/** The categories list of the standard (version 0.4). */
export const CATEGORIES = [
  'accounting', 'agile-project-management', 'applicant-tracking', 'application-development', 'appointment-scheduling', 'backup',
  'billing-and-invoicing', 'blog', 'budgeting', 'business-intelligence', 'business-process-management', 'cad', 'call-center-management',
  'cloud-management', 'collaboration', 'communications', 'compliance-management', 'contact-management', 'content-management', 'crm',
  'customer-service-and-support', 'data-analytics', 'data-collection', 'data-visualization', 'digital-asset-management', 'digital-citizenship',
  'document-management', 'donor-management', 'e-commerce', 'e-signature', 'email-management', 'email-marketing', 'employee-management',
  'enterprise-project-management', 'enterprise-social-networking', 'erp', 'event-management', 'facility-management',
  'feedback-and-reviews-management', 'financial-reporting', 'fleet-management', 'fundraising', 'gamification', 'geographic-information-systems',
  'grant-management', 'graphic-design', 'help-desk', 'hr', 'ide', 'identity-management', 'instant-messaging', 'inventory-management',
  'it-asset-management', 'it-development', 'it-management', 'it-security', 'it-service-management', 'knowledge-management',
  'laboratory-management', 'learning-management-system', 'local-government', 'marketing', 'mind-mapping', 'mobile-marketing',
  'mobile-payment', 'network-security', 'office', 'online-booking', 'online-community', 'payment-gateway', 'payroll', 'predictive-analysis',
  'procurement', 'productivity-suite', 'project-collaboration', 'project-management', 'property-management', 'real-estate-management',
  'remote-support', 'resource-management', 'sales-management', 'seo', 'service-desk-management', 'social-media-management', 'survey',
  'talent-management', 'task-management', 'taxes-management', 'test-management', 'time-management', 'time-tracking', 'translation',
  'video-conferencing', 'video-editing', 'visitor-management', 'voip', 'warehouse-management', 'web-collaboration', 'web-conferencing',
  'website-builder', 'whistleblowing', 'workflow-management',
] as const;

const contact = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    email: { type: 'string', format: 'email' },
    phone: { type: 'string' },
    affiliation: { type: 'string' },
  },
};

const dependency = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    versionMin: { type: 'string' },
    versionMax: { type: 'string' },
    version: { type: 'string' },
    optional: { type: 'boolean' },
  },
};

export const PUBLICCODE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['publiccodeYmlVersion', 'name', 'url', 'platforms', 'developmentStatus', 'softwareType', 'description', 'legal', 'maintenance', 'localisation'],
  properties: {
    publiccodeYmlVersion: { type: 'string', enum: ['0.2', '0.3', '0.4'] },
    name: { type: 'string', minLength: 1 },
    applicationSuite: { type: 'string' },
    url: { type: 'string', format: 'uri', pattern: '^https://' },
    landingURL: { type: 'string', format: 'uri' },
    isBasedOn: { type: ['string', 'array'] },
    softwareVersion: { type: 'string' },
    releaseDate: { type: 'string', format: 'date' },
    logo: { type: 'string' },
    platforms: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    categories: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: CATEGORIES } },
    usedBy: { type: 'array', items: { type: 'string' } },
    roadmap: { type: 'string', format: 'uri' },
    developmentStatus: { type: 'string', enum: ['concept', 'development', 'beta', 'stable', 'obsolete'] },
    softwareType: {
      type: 'string',
      enum: ['standalone/mobile', 'standalone/iot', 'standalone/desktop', 'standalone/web', 'standalone/backend', 'standalone/other', 'addon', 'library', 'configurationFiles'],
    },
    intendedAudience: {
      type: 'object',
      additionalProperties: false,
      properties: {
        countries: { type: 'array', items: { type: 'string', pattern: '^[a-z]{2}$' } },
        unsupportedCountries: { type: 'array', items: { type: 'string', pattern: '^[a-z]{2}$' } },
        scope: { type: 'array', items: { type: 'string' } },
      },
    },
    description: {
      type: 'object',
      minProperties: 1,
      // Keys are BCP 47 language tags.
      propertyNames: { pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' },
      additionalProperties: localisedDescription,
    },
    legal: {
      type: 'object',
      additionalProperties: false,
      required: ['license'],
      properties: {
        license: { type: 'string', minLength: 1 },
        mainCopyrightOwner: { type: 'string' },
        repoOwner: { type: 'string' },
        authorsFile: { type: 'string' },
      },
    },
    maintenance: {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: { type: 'string', enum: ['internal', 'contract', 'community', 'none'] },
        contractors: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'until'],
            properties: { name: { type: 'string' }, until: { type: 'string', format: 'date' }, email: { type: 'string', format: 'email' }, website: { type: 'string', format: 'uri' } },
          },
        },
        contacts: { type: 'array', items: contact },
      },
      allOf: [
        { if: { properties: { type: { const: 'contract' } } }, then: { required: ['contractors'] } },
        { if: { properties: { type: { enum: ['internal', 'community'] } } }, then: { required: ['contacts'], properties: { contacts: { type: 'array', minItems: 1 } } } },
      ],
    },
    localisation: {
      type: 'object',
      additionalProperties: false,
      required: ['localisationReady', 'availableLanguages'],
      properties: {
        localisationReady: { type: 'boolean' },
        availableLanguages: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' } },
      },
    },
    dependsOn: {
      type: 'object',
      additionalProperties: false,
      properties: {
        open: { type: 'array', items: dependency },
        proprietary: { type: 'array', items: dependency },
        hardware: { type: 'array', items: dependency },
      },
    },
    it: {
      type: 'object',
      additionalProperties: false,
      required: ['countryExtensionVersion'],
      properties: {
        countryExtensionVersion: { type: 'string', enum: ['0.2', '1.0'] },
        conforme: {
          type: 'object',
          additionalProperties: false,
          properties: {
            lineeGuidaDesign: { type: 'boolean' },
            modelloInteroperabilita: { type: 'boolean' },
            misureMinimeSicurezza: { type: 'boolean' },
            gdpr: { type: 'boolean' },
          },
        },
        piattaforme: {
          type: 'object',
          additionalProperties: false,
          properties: { spid: { type: 'boolean' }, cie: { type: 'boolean' }, anpr: { type: 'boolean' }, pagopa: { type: 'boolean' }, io: { type: 'boolean' } },
        },
        riuso: { type: 'object', additionalProperties: false, properties: { codiceIPA: { type: 'string', pattern: '^[a-z0-9_]{2,11}$' } } },
      },
    },
  },
} as const;
