/**
 * Starts one in-memory DynamoDB Local for the whole test run and stops it by pid afterwards.
 * Suites isolate themselves by access key id (a database each); see localStack.ts.
 */

import { startDynamoDbLocal } from '@coffee-es/local';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DYNAMODB_ENDPOINT;
  if (external) {
    project.provide('dynamoEndpoint', external);
    return async () => {};
  }
  const dynamo = await startDynamoDbLocal({ maxHeapMb: 1024 });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
