import { test, expect } from '@playwright/test';
import { TOPICS } from '../../model/case.ts';
test('topics', () => { expect(TOPICS).toContain('basics'); });
