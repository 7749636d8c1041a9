/**
 * What may be uploaded: size cap and a type allow-list decided by the file's magic bytes, never by its name or the
 * browser's claim. File names are kept only for display and download, cleaned of paths and control characters.
 */
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { AppError } from '../../platform/app-error.ts';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const ALLOWED = new Map<string, string>([
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
  ['image/gif', 'gif'],
  ['image/webp', 'webp'],
  ['application/pdf', 'pdf'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['application/x-cfb', 'doc'],
]);

export async function detectAllowedType(data: Buffer): Promise<{ mime: string; ext: string }> {
  const t = await fileTypeFromBuffer(data);
  const ext = t ? ALLOWED.get(t.mime) : undefined;
  if (!t || !ext) throw new AppError('FILE_TYPE_NOT_ALLOWED');
  return { mime: t.mime, ext };
}

/** Other spellings of an allowed type's extension (a .jpeg is a JPEG; an old Office file may be .xls or .ppt). */
const SAME_TYPE: Record<string, string[]> = { jpg: ['jpeg', 'jpe'], doc: ['xls', 'ppt'] };
/** Half of a character cut in two (an emoji split at a length limit): no valid name holds one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Bidirectional controls: "发票\u202Egnp.exe" would show as "发票exe.png". */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function cleanFileName(name: string | undefined, ext: string): string {
  const cleaned = (name ?? '')
    .replace(LONE_SURROGATE, '')
    .replace(/^.*[\\/]/, '')
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
    .replace(BIDI, '')
    .trim()
    .replace(/^\.+/, '');
  // cut by characters, never inside a surrogate pair (a lone surrogate breaks the download's Content-Disposition)
  let base = Array.from(cleaned).slice(0, 120).join('').trim();
  if (!base) return `文件.${ext}`;
  // the name's extension is the detected type's: a PNG named "报表.exe" or a PDF named "说明.html" is saved as such
  const own = /\.([^.]{1,10})$/.exec(base)?.[1]?.toLowerCase();
  if (own !== ext && !SAME_TYPE[ext]?.includes(own ?? '')) base = `${base}.${ext}`;
  return base;
}

export const isInlineImage = (mime: string) => mime.startsWith('image/');

const MAX_IMAGE_SIDE = 4096;

/**
 * Images are decoded and encoded again: what is stored is pixels we produced, not bytes someone crafted (polyglots,
 * scripts after the image data), without EXIF (location, camera), turned upright and at most 4096 px a side.
 */
export async function reencodeImage(data: Buffer, mime: string): Promise<Buffer> {
  try {
    const img = sharp(data, { animated: mime === 'image/gif', limitInputPixels: 50_000_000 })
      .rotate()
      .resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true });
    switch (mime) {
      case 'image/jpeg':
        return await img.jpeg({ quality: 85, mozjpeg: true }).toBuffer();
      case 'image/png':
        return await img.png({ compressionLevel: 8 }).toBuffer();
      case 'image/webp':
        return await img.webp({ quality: 85 }).toBuffer();
      default:
        return await img.gif().toBuffer();
    }
  } catch {
    throw new AppError('FILE_TYPE_NOT_ALLOWED', '图片已损坏或无法识别，请重新截图或另存为 JPG、PNG 后再发送。');
  }
}
