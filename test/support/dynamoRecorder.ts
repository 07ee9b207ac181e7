/**
 * A recording proxy in front of DynamoDB: every request that reaches the wire (SDK retries
 * included), with its operation, its input and what it answered. Point the app's
 * `DYNAMODB_ENDPOINT` at it to see what one HTTP request costs in DynamoDB requests, without any
 * hook in the code under test. It is the fault proxy with no fault switched on.
 */
import { type FaultProxy, type ProxiedCall, startFaultProxy } from './faultProxy.ts';

export type DynamoCall = ProxiedCall;

export type DynamoRecorder = Pick<FaultProxy, 'endpoint' | 'calls' | 'during' | 'close'>;

export function startDynamoRecorder(target: string): Promise<DynamoRecorder> {
  return startFaultProxy(target);
}
