/**
 * Conversion of DynamoDB Streams SDK records into the shape Lambda hands a function, so handlers
 * run locally exactly as they would behind an event-source mapping.
 */
import type {
  _Record,
  AttributeValue as SdkAttributeValue,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

/**
 * True for a record that reports a TTL expiry: AWS sends `REMOVE` by the DynamoDB service
 * principal; DynamoDB Local sends the event name `UNKNOWN_TO_SDK_VERSION`.
 *
 * @example
 * startStreamPoller({ ..., filter: (r) => !isTtlRemoval(r) });
 * @internal
 */
export function isTtlRemoval(record: DynamoDBRecord): boolean {
  if ((record.eventName as string | undefined) === 'UNKNOWN_TO_SDK_VERSION') return true;
  const identity = record.userIdentity as { type?: string; principalId?: string } | undefined;
  return (
    record.eventName === 'REMOVE' &&
    identity?.type === 'Service' &&
    identity.principalId === 'dynamodb.amazonaws.com'
  );
}

/**
 * One SDK stream record in Lambda's shape: binary values become base64 strings and the creation
 * time becomes epoch seconds, as in the JSON Lambda receives.
 *
 * @example
 * const lambdaRecord = toLambdaRecord(sdkRecord, streamArn);
 * @internal
 */
export function toLambdaRecord(record: _Record, streamArn: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  const out: DynamoDBRecord = {
    eventID: record.eventID,
    // DynamoDB Local reports TTL removals with a name outside the Lambda type: keep it as is.
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime:
        d.ApproximateCreationDateTime === undefined
          ? undefined
          : Math.floor(d.ApproximateCreationDateTime.getTime() / 1000),
      Keys: mapImage(d.Keys),
      NewImage: mapImage(d.NewImage),
      OldImage: mapImage(d.OldImage),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType,
    },
  };
  if (record.userIdentity) out.userIdentity = { ...record.userIdentity };
  // Lambda's JSON has no keys for absent values: drop them so deep equality with AWS fixtures holds.
  return prune(out) as DynamoDBRecord;
}

function mapImage(
  image: Record<string, SdkAttributeValue> | undefined,
): Record<string, AttributeValue> | undefined {
  if (!image) return undefined;
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(image)) out[key] = mapValue(value);
  return out;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function mapValue(value: SdkAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(mapValue) };
  if (value.M !== undefined) return { M: mapImage(value.M) ?? {} };
  throw new Error(`Unknown attribute value type: ${Object.keys(value).join(',')}`);
}

function prune(value: object): object {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[key] = v && typeof v === 'object' && !Array.isArray(v) && key === 'dynamodb' ? prune(v) : v;
  }
  return out;
}

/** Sequence numbers are decimal strings longer than 2^53: compare them as BigInt. */
export function compareSequenceNumbers(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
