/**
 * Zod pieces for reading environment variables, shared by config.ts and the platforms'
 * config fragments so every variable is parsed and reported the same way.
 */
import { z } from 'zod';

export const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

export const url = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((s) => /^https?:\/\/[^\s]+$/.test(s), 'must be an http(s) URL')
    .transform((s) => s.replace(/\/+$/, ''));

export const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);
