import { Result } from 'antd';
import type { PageProps } from '../../routes';

export default function Placeholder(_props: PageProps) {
  return <Result status="info" />;
}
