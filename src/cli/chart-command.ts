/**
 * `papers chart [--week 2026-W34] [--out week.png]`: the chart a weekly digest opens with,
 * written to a PNG file. The renderer is handed in by src/app/cli.ts (the wiring).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CliDeps } from './cli-deps.js';
import { printJson, println } from './cli-output.js';
import { isoWeekOf, parseIsoWeek, weekChartData, type ChartRenderer } from '../core/chart.js';
import { NotFoundError, UserInputError } from '../core/errors.js';

export interface ChartOptions {
  week?: string;
  out?: string;
  json: boolean;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

/** Writes the file next to its final name and renames it in place; the chart is for sharing, so 0644 whatever the umask. */
function writePng(out: string, png: Uint8Array): void {
  const shown = out.slice(0, 200);
  const stat = fs.statSync(out, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new UserInputError(`--out ${shown} is a directory; give a file name, e.g. ${path.join(shown, 'week.png')}.`);
  if (stat && !stat.isFile()) throw new UserInputError(`--out ${shown} is not a regular file; not overwriting it.`);
  const dir = path.dirname(path.resolve(out));
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UserInputError(`--out ${shown}: the folder ${dir.slice(0, 200)} does not exist.`);
  const tmp = path.join(dir, `.${path.basename(out)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, png, { mode: 0o644, flag: 'wx' });
    fs.chmodSync(tmp, 0o644);
    fs.renameSync(tmp, out);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export async function chartCommand(core: CliDeps, renderer: ChartRenderer, opts: ChartOptions): Promise<void> {
  let week;
  if (opts.week !== undefined) week = parseIsoWeek(opts.week);
  else {
    const [latest] = await core.store.featuredDays({ limit: 1 });
    if (!latest) throw new NotFoundError('No featured days in the store. Import or ingest some first (papers import, papers ingest).');
    week = isoWeekOf(latest);
  }
  const data = weekChartData(await core.store.papersFeaturedBetween(week.from, week.to), week);
  if (data.bars.length === 0) throw new NotFoundError(`No papers featured in ${week.week} (${week.from} … ${week.to}); nothing to chart.`);
  const out = opts.out ?? `week-${week.week}.png`;
  const started = performance.now();
  const png = await renderer.weekPng(data);
  const ms = Math.round(performance.now() - started);
  writePng(out, png);
  const size = pngSize(png);
  if (opts.json) {
    return printJson({ week: week.week, from: week.from, to: week.to, out: path.resolve(out), bytes: png.byteLength, ...size, renderMs: ms, featured: data.featured, bars: data.bars });
  }
  println(`Wrote ${out} (${size.width}×${size.height} px, ${Math.ceil(png.byteLength / 1024)} KiB): ${data.subtitle}.`);
}
