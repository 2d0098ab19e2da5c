/**
 * Captions: importing and validating a 5,000-cue Khmer SRT, and burning Khmer captions into a 60 s
 * 1080p clip through our burner beside the bare ffmpeg `ass` command on the same input.
 */
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config/app-config';
import { AppConfigModule } from '../src/config/config.module';
import { assFilter, burnArgs } from '../src/modules/captions/burn-in/burn-in.args';
import { CaptionBurner } from '../src/modules/captions/burn-in/caption-burner';
import { CaptionMediaModule } from '../src/modules/captions/burn-in/caption-media.module';
import { Cue } from '../src/modules/captions/caption.types';
import { parseAndValidateSrt, toAss, toSrt } from '../src/modules/captions/formats';
import { bareFfmpeg, BenchEnv, median, note, record, time } from './support';

const LINE = 'យុវជនជាច្រើននៅក្នុងភូមិរបស់យើងបានធ្វើចំណាកស្រុកទៅប្រទេសថៃ';

function khmerCues(count: number, everyMs: number): Cue[] {
  return Array.from({ length: count }, (_, i) => ({ startMs: i * everyMs, endMs: i * everyMs + everyMs - 200, text: `${LINE} ${i + 1}` }));
}

export async function benchCaptions(env: BenchEnv, dir: string): Promise<void> {
  const srt = toSrt(khmerCues(5000, 2500));
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) runs.push((await time(async () => parseAndValidateSrt(srt, { language: 'km' })))[0]);
  note('Import + validate a 5,000-cue Khmer SRT, median of 7', `${median(runs).toFixed(0)} ms`, '-', '-', '< 200 ms');

  const clip = join(dir, 'captions-60s-1080p.mp4');
  await bareFfmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30', '-f', 'lavfi', '-i', 'sine',
    '-t', '60', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '6M', '-pix_fmt', 'yuv420p', '-c:a', 'aac', clip]);
  const ass = toAss(khmerCues(24, 2500), { width: 1920, height: 1080, language: 'km' });
  const scriptPath = join(dir, 'bench.ass');
  writeFileSync(scriptPath, ass);

  @Module({ imports: [AppConfigModule.forRoot(loadConfig(env)), CaptionMediaModule] })
  class BenchCaptionsModule {}
  const context = await NestFactory.createApplicationContext(BenchCaptionsModule, { logger: false });
  try {
    const [bareMs] = await time(() => bareFfmpeg(burnArgs(clip, assFilter(scriptPath), join(dir, 'bare-burn.mp4'))));
    const [oursMs] = await time(() => context.get(CaptionBurner).burn(clip, ass, join(dir, 'ours-burn.mp4'), { durationMs: 60_000 }));
    record('Burn Khmer captions into 60 s 1080p vs bare ffmpeg ass (s)', oursMs / 1000, bareMs / 1000, 's', '<= 1.1x');
  } finally {
    await context.close();
  }
}
