/**
 * The CDK app: one stack for the coffee franchise, from the same declaration `npm start` serves.
 * Settings come from the context (cdk.json, `-c stage=prod`): see cdk/README.md.
 */
import { resolve } from 'node:path';
import { readDeploySettings, SystemStack } from '@coffee-es/cdk';
import { consoleFiles } from '@coffee-es/local';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { system } from '../functions/app/system.ts';

const app = new App();
// cdk-nag's AWS Solutions rules run at every synth and deploy: a finding without an
// acknowledgment (and its reason, next to the construct) stops the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const settings = readDeploySettings(app.node);
new SystemStack(app, `${system.service}-${settings.stage}`, {
  system,
  root: resolve(import.meta.dirname, '..'),
  settings,
  // The operator console's page and scripts, served by its function under /_console/.
  consoleFiles,
  description: `${system.service} (${settings.stage}): event-sourced API on Lambda and DynamoDB`,
  // Deploys into the account and region of the CLI's credentials; synth needs neither.
  env: {
    ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}),
    ...(process.env.CDK_DEFAULT_REGION ? { region: process.env.CDK_DEFAULT_REGION } : {}),
  },
});
