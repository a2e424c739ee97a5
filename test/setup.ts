import { Testing } from 'cdktf';

// cdktf's custom matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
Testing.setupJest();
