// The lineage page: polls /lineage/graph.json (read from Atlas by the local server) and draws it with cytoscape and
// the dagre layout, left to right: datasets → job → datasets, each job's latest runs below it, coloured by status.
// `window.lineage` exposes the cytoscape instance and the last graph for tests and for poking at in the console.
/* global cytoscape, cytoscapeDagre */
(() => {
  'use strict';
  cytoscape.use(cytoscapeDagre);

  const params = new URLSearchParams(location.search);
  const intervalMs = Math.max(250, Number(params.get('interval')) || 3000);
  const statusLine = document.getElementById('status');
  const css = getComputedStyle(document.documentElement);
  const colour = (name) => css.getPropertyValue(`--${name}`).trim();
  const STATUS_COLOURS = {
    RUNNING: colour('running'), FINISHED: colour('finished'), FAILED: colour('failed'), CANCELED: colour('canceled'),
    CANCELLING: colour('canceled'), RESTARTING: colour('restarting'), FAILING: colour('restarting'), RECONCILING: colour('restarting'),
    SUSPENDED: colour('suspended'), INITIALIZING: colour('starting'), CREATED: colour('starting'),
  };
  const statusColour = (status) => STATUS_COLOURS[status] || '#cbd2d9';

  const cy = cytoscape({
    container: document.getElementById('graph'),
    wheelSensitivity: 0.3,
    style: [
      { selector: 'node', style: {
        label: 'data(label)', 'text-wrap': 'wrap', 'text-max-width': 170, 'font-size': 11, 'text-valign': 'center',
        'text-halign': 'center', color: '#1f2933', 'border-width': 1, 'border-color': '#7b8794',
      } },
      { selector: 'node[kind = "dataset"]', style: {
        shape: 'round-rectangle', width: 190, height: 44, 'background-color': colour('dataset'),
      } },
      { selector: 'node[kind = "job"]', style: {
        shape: 'round-rectangle', width: 200, height: 52, 'font-weight': 'bold', 'font-size': 13, 'border-width': 3,
        'background-color': '#ffffff', 'border-color': (n) => statusColour(n.data('status')),
      } },
      { selector: 'node[kind = "run"]', style: {
        shape: 'ellipse', width: 86, height: 40, 'font-size': 9, color: '#ffffff', 'text-outline-width': 0,
        'background-color': (n) => statusColour(n.data('status')), 'border-width': 0,
      } },
      { selector: 'edge', style: {
        width: 2, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': '#9aa5b1', 'target-arrow-color': '#9aa5b1',
      } },
      { selector: 'edge[kind = "run"]', style: { 'line-style': 'dashed', width: 1, 'target-arrow-shape': 'none' } },
      { selector: ':selected', style: { 'border-width': 4, 'border-color': '#1f2933' } },
    ],
  });

  let shape = '';
  const state = { cy, graph: undefined, updates: 0, error: undefined };
  window.lineage = state;

  const elementsOf = (graph) => [
    ...graph.nodes.map((n) => ({ group: 'nodes', data: { ...n } })),
    ...graph.edges.map((e) => ({ group: 'edges', data: { ...e } })),
  ];

  const layout = () => cy.layout({ name: 'dagre', rankDir: 'LR', nodeSep: 24, rankSep: 90, edgeSep: 10, fit: true, padding: 24 }).run();

  const apply = (graph) => {
    const nextShape = JSON.stringify([graph.nodes.map((n) => n.id), graph.edges.map((e) => e.id)]);
    if (nextShape !== shape) {
      // Something appeared or went: redraw and lay out again.
      cy.batch(() => {
        cy.elements().remove();
        cy.add(elementsOf(graph));
      });
      layout();
      shape = nextShape;
    } else {
      // Same graph: only statuses and labels move, the layout stays put.
      cy.batch(() => graph.nodes.forEach((n) => cy.getElementById(n.id).data(n)));
    }
  };

  const describe = (graph) =>
    `${graph.counts.jobs} job${graph.counts.jobs === 1 ? '' : 's'}, ${graph.counts.runs} run${graph.counts.runs === 1 ? '' : 's'}, ` +
    `${graph.counts.datasets} dataset${graph.counts.datasets === 1 ? '' : 's'} in ${graph.atlas} · updated ${new Date(graph.generatedAt).toLocaleTimeString()}`;

  const refresh = async () => {
    try {
      const response = await fetch('/lineage/graph.json', { cache: 'no-store' });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
      apply(body);
      state.graph = body;
      state.updates += 1;
      state.error = undefined;
      statusLine.textContent = body.nodes.length === 0 ? `Atlas (${body.atlas}) holds no Flink job yet: post an event and it appears here.` : describe(body);
      document.body.dataset.state = 'ready';
    } catch (error) {
      state.error = String(error.message || error);
      statusLine.textContent = `Cannot read the lineage: ${state.error} (retrying every ${intervalMs / 1000} s)`;
      document.body.dataset.state = 'error';
    } finally {
      setTimeout(refresh, intervalMs);
    }
  };

  const details = document.getElementById('details');
  cy.on('tap', 'node', (event) => {
    const data = event.target.data();
    document.getElementById('details-title').textContent = `${data.typeName}: ${data.label.replace('\n', ' · ')}`;
    const list = document.getElementById('details-list');
    list.replaceChildren(...Object.entries(data.detail).flatMap(([key, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = key;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }));
    details.hidden = false;
  });
  cy.on('tap', (event) => {
    if (event.target === cy) details.hidden = true;
  });

  refresh();
})();
