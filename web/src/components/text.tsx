import { theme } from 'antd';
import type { CSSProperties, ReactNode } from 'react';

// Plain text in the theme's colours. antd's Typography brings editing, copying and
// ellipsis (with Input and Tooltip); the shell and My tasks need none of that, and
// they count towards the first page's budget.

/** Secondary text (`type` "secondary"), or danger text. */
export function Muted({
  children,
  danger,
  block,
  style,
}: {
  children: ReactNode;
  danger?: boolean;
  block?: boolean;
  style?: CSSProperties;
}) {
  const { token } = theme.useToken();
  const Tag = block ? 'div' : 'span';
  return <Tag style={{ color: danger ? token.colorError : token.colorTextSecondary, ...style }}>{children}</Tag>;
}

/** A page heading (h1) in the theme's heading size. */
export function Heading({ children }: { children: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <h1
      style={{
        margin: 0,
        fontSize: token.fontSizeHeading3,
        fontWeight: token.fontWeightStrong,
        color: token.colorTextHeading,
        minWidth: 0,
        overflowWrap: 'anywhere',
        lineHeight: 1.35,
      }}
    >
      {children}
    </h1>
  );
}
