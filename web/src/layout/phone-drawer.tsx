import { Drawer } from 'antd';
import type { ReactNode } from 'react';

/** The menu as a drawer from the left, on phones. */
export default function PhoneDrawer({
  open,
  onClose,
  title,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
}) {
  return (
    <Drawer placement="left" open={open} onClose={onClose} size={240} title={title} styles={{ body: { padding: 0 } }}>
      {children}
    </Drawer>
  );
}
