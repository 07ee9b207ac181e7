import { maxSqsIdLength, redriveDeduplicationId, sqsIdOf } from '@coffee-es/aws-lambda';
import { describe, expect, it } from 'vitest';

describe('SQS ids', () => {
  it('keeps an id SQS accepts, hashes a longer one, the same way every time', () => {
    expect(sqsIdOf('Order#o1@3')).toBe('Order#o1@3');
    expect(sqsIdOf('x'.repeat(128))).toBe('x'.repeat(128));
    const long = `Order#${'x'.repeat(200)}@3`;
    expect(sqsIdOf(long)).toMatch(/^[0-9a-f]{64}$/);
    expect(sqsIdOf(long)).toBe(sqsIdOf(long));
    expect(sqsIdOf(long)).not.toBe(sqsIdOf(`${long}4`));
  });

  it('makes redrive ids that fit, differ from the original and from each other', () => {
    for (const original of ['Order#o1@3', 'y'.repeat(110), 'z'.repeat(128)]) {
      const a = redriveDeduplicationId(original, 1_764_575_000_000);
      const b = redriveDeduplicationId(original, 1_764_575_000_001);
      expect(a.length).toBeLessThanOrEqual(maxSqsIdLength);
      expect(a).not.toBe(original);
      expect(a).not.toBe(b);
    }
    expect(redriveDeduplicationId('Order#o1@3', 5)).toBe('Order#o1@3-redrive-5');
  });
});
