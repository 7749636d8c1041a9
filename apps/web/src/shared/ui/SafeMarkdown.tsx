import type { ComponentProps, CSSProperties } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { isLinkable, isSameOrigin, safeUrl } from './safe-url.ts';
import './safe-markdown.css';

interface SafeMarkdownProps {
  children: string;
  className?: string;
  style?: CSSProperties;
  'data-testid'?: string;
}

const NEW_TAB = { target: '_blank', rel: 'noopener noreferrer' } as const;

/** Links open in a new tab and never hand our window to the page they open; an unsafe link is plain text. */
function SafeLink({ href, children, node: _node, ...rest }: ComponentProps<'a'> & { node?: unknown }) {
  if (!isLinkable(href)) return <span>{children}</span>;
  return (
    <a {...rest} href={href} {...NEW_TAB}>
      {children}
    </a>
  );
}

/** Images only from our own origin; any other image is offered as a link (no request to a third party). */
function SafeImage({ src, alt, title }: ComponentProps<'img'> & { node?: unknown }) {
  const url = typeof src === 'string' ? src : '';
  if (isLinkable(url) && isSameOrigin(url)) {
    return <img src={url} alt={alt ?? ''} title={title} loading="lazy" />;
  }
  const label = alt || title || '图片';
  if (!isLinkable(url)) return <span>{label}</span>;
  return (
    <a href={url} {...NEW_TAB}>
      {`[图片] ${label}`}
    </a>
  );
}

const COMPONENTS: Components = { a: SafeLink, img: SafeImage };

/**
 * More than this many container markers (`>`, `-`, `*`, `+`, `1.`) opening one line nest blockquotes and lists so
 * deep that parsing and rendering overflow the stack ("- > - > …" or ">>>>…" a few thousand times): such text is
 * shown as plain text. Linear: a marker and its spaces per step, nothing to backtrack over.
 */
const TOO_DEEP = /^[ \t]*(?:(?:[>*+-]|\d{1,9}[.)])[ \t]*){33}/m;
const REMARK_PLUGINS = [remarkGfm];

/**
 * Markdown from the knowledge base (or anyone else) rendered safely: raw HTML is shown as text and never becomes an
 * element, only http(s) and relative links survive, links open in a new tab with rel="noopener noreferrer", and
 * images load only from our own origin.
 */
export function SafeMarkdown({ children, className, style, ...rest }: SafeMarkdownProps) {
  return (
    <div className={className ? `zn-markdown ${className}` : 'zn-markdown'} style={style} {...rest}>
      {TOO_DEEP.test(children) ? (
        <div style={{ whiteSpace: 'pre-wrap' }}>{children}</div>
      ) : (
        <Markdown remarkPlugins={REMARK_PLUGINS} components={COMPONENTS} urlTransform={safeUrl}>
          {children}
        </Markdown>
      )}
    </div>
  );
}
