export { pisCaseWorkflow } from './case-workflow';
