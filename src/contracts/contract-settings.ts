import { resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../index.js';
import { fontFileProblem } from './font-file-check.js';

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** The contract example's settings: environment variable, default and unit, validated at start. */
const environmentSchema = z.object({
  /** Most contracts one worker call renders (ContractCreator). */
  CONTRACT_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(8),
  /**
   * Fallback fonts for contract PDFs: .ttf/.otf paths separated by commas, tried in order for every
   * character the built-in DejaVu Sans lacks (CJK, say). Default none. Each must exist and parse.
   */
  CONTRACT_FONT_FILES: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((file) => file.trim()).filter((file) => file !== '').map((file) => resolvePath(file)))
    .superRefine((files, ctx) => {
      for (const file of files) {
        const problem = fontFileProblem(file);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: `${file} ${problem}` });
      }
    }),
  /** Load the two demo contract groups at start when the store has no groups yet. */
  DEMO_DATA: flag.default(true),
});

export interface ContractSettings {
  /** Most contracts one worker call renders; default 8. */
  batchSize: number;
  /** Fallback font files, absolute paths; empty means DejaVu Sans alone. */
  fontFiles: string[];
  /** Load the demo groups when there are none. */
  demoData: boolean;
}

/** Reads the example's settings from the environment (empty values count as unset). */
export function loadContractSettings(env: NodeJS.ProcessEnv = process.env): ContractSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  return { batchSize: parsed.data.CONTRACT_BATCH_SIZE, fontFiles: parsed.data.CONTRACT_FONT_FILES, demoData: parsed.data.DEMO_DATA };
}

/**
 * The settings given in code, checked by the same rules as the environment's (a ConfigError names
 * each bad one), with the defaults of code: demo data off unless asked for.
 */
export function checkContractSettings(settings: Partial<ContractSettings>): ContractSettings {
  const problems: string[] = [];
  const batchSize = settings.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) problems.push(`batchSize: must be a whole number from 1 to 1000 (got ${batchSize})`);
  const fontFiles = (settings.fontFiles ?? []).map((file) => resolvePath(file));
  for (const file of fontFiles) {
    const problem = fontFileProblem(file);
    if (problem !== null) problems.push(`fontFiles: ${file} ${problem}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { batchSize, fontFiles, demoData: settings.demoData ?? false };
}
