import { UnrecoverableError } from 'bullmq';
import type { z } from 'zod';

/** Validates a job payload; a malformed one can never succeed, so it is not retried. */
export function parsePayload<S extends z.ZodType>(schema: S, data: unknown, job: string): z.infer<S> {
  const r = schema.safeParse(data);
  if (!r.success) {
    const issues = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new UnrecoverableError(`${job}: bad payload (${issues})`);
  }
  return r.data;
}
