/**
 * The few global rules the component library does not cover: the header and
 * brand, page width on phones, and the print stylesheet (documents print without
 * the app's frame).
 */
export const GLOBAL_CSS = `
html, body { margin: 0; }
.brand { height: 56px; display: flex; align-items: center; padding: 0 24px; font-weight: 600; font-size: 16px; color: #1d39c4; white-space: nowrap; overflow: hidden; }
.app-header { display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 0 16px !important; background: #fff !important; border-bottom: 1px solid #f0f0f0; height: 56px !important; line-height: 56px !important; }
.app-content { padding: 24px; min-width: 0; }
.help-article h1 { font-size: 20px; margin-top: 0; } .help-article h2 { font-size: 16px; } .help-article li { margin: 4px 0; line-height: 1.7; }
.app-content main { max-width: 1280px; margin: 0 auto; }
@media (max-width: 767px) { .app-content { padding: 12px; } }
.unit-cell { display: inline-flex; flex-direction: column; align-items: center; justify-content: center; width: 76px; height: 58px; border-radius: 4px; cursor: pointer; font-size: 12px; line-height: 1.2; border: 1px solid rgba(0,0,0,0.12); background: #fff; padding: 0; }
.unit-cell:focus-visible { outline: 2px solid #1677ff; outline-offset: 1px; }
.unit-grid { overflow-x: auto; }
.diagram { display: flex; flex-direction: column; gap: 8px; }
.diagram-row { display: flex; gap: 8px; flex-wrap: wrap; align-items: stretch; }
.diagram-box { border: 1px solid #d9d9d9; border-radius: 6px; padding: 6px 10px; min-width: 0; }
.diagram-group { border: 1px dashed #bfbfbf; border-radius: 6px; padding: 8px; display: flex; flex-direction: column; gap: 6px; }
.diagram-arrow { color: #8c8c8c; text-align: center; line-height: 1; }
.print-only { display: none; }
@media print {
  .ant-layout-sider, .app-header, .no-print, .ant-drawer { display: none !important; }
  .app-content { padding: 0 !important; }
  .print-only { display: block; }
  .ant-card { box-shadow: none !important; border: none !important; break-inside: avoid; }
  body { background: #fff !important; }
}
`;
