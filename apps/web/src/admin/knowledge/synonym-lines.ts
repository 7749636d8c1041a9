/**
 * The 同义词 page edits the bureau's synonym groups as plain text, one group per line. These helpers turn the
 * lines into groups and back, and find what the server would refuse, by line number, before anything is sent.
 */
import { ZSynonymGroups } from '@zhengna/contracts';

/** Spaces (also the full-width one), ASCII and Chinese commas and semicolons, and 、. */
const SEPARATORS = /[\s,，;；、]+/u;
/** How a group is written back into the text: the way a Chinese reader lists words. */
const JOINER = '、';

const ZGroupList = ZSynonymGroups.shape.groups;

export interface ParsedSynonymLines {
  /** One group per non-empty line, words in their order (the first is the standard form), repeats dropped. */
  groups: string[][];
  /** Chinese messages by line number (1-based, counting empty lines as the textarea shows them); empty when valid. */
  errors: string[];
}

/**
 * Reads the textarea. Words are normalised (NFKC) like the server does, so "ＶＡＴ" and "VAT" are the same word
 * here too and the checks below agree with what the server would answer.
 *
 * @example
 * parseSynonymLines('增值税专用发票、专票，增票\n\n个税 个人所得税');
 * // { groups: [['增值税专用发票', '专票', '增票'], ['个税', '个人所得税']], errors: [] }
 */
export function parseSynonymLines(text: string): ParsedSynonymLines {
  const groups: string[][] = [];
  /** The text's line number of each group. */
  const lineOf: number[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    const words = line.normalize('NFKC').split(SEPARATORS).filter(Boolean);
    if (words.length === 0) return;
    groups.push([...new Set(words)]);
    lineOf.push(index + 1);
  });

  const problems: { line: number; message: string }[] = [];
  const report = (line: number, message: string) => problems.push({ line, message });

  // the contract's limits (word length, words per group, number of groups), with the contract's messages
  const parsed = ZGroupList.safeParse(groups);
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const [g, w] = issue.path as number[];
    if (g === undefined) {
      report(Number.POSITIVE_INFINITY, issue.message);
      continue;
    }
    const line = lineOf[g] ?? 0;
    if (w !== undefined) report(line, `第 ${line} 行的“${groups[g]?.[w]}”：${issue.message}`);
    else if (issue.code === 'too_small') report(line, `第 ${line} 行至少要有两个词`);
    else report(line, `第 ${line} 行：${issue.message}`);
  }

  // a word may stand in one group only, or the bot could not tell which standard form it means
  const firstLine = new Map<string, number>();
  groups.forEach((words, g) => {
    const line = lineOf[g] ?? 0;
    for (const word of words) {
      const earlier = firstLine.get(word);
      if (earlier === undefined) firstLine.set(word, line);
      else report(line, `“${word}”同时出现在第 ${earlier} 行和第 ${line} 行，请合并为一行`);
    }
  });

  problems.sort((a, b) => a.line - b.line);
  return { groups, errors: problems.map((p) => p.message) };
}

/**
 * The groups as the textarea shows them: one line each, words joined by 、.
 *
 * @example
 * synonymLines([['个税', '个人所得税']]); // '个税、个人所得税'
 */
export function synonymLines(groups: readonly (readonly string[])[]): string {
  return groups.map((words) => words.join(JOINER)).join('\n');
}
